import * as v1 from 'pipedrive/v1';
import * as v2 from 'pipedrive/v2';
import type { ListQuery, PipedriveApi, V2Object } from './pipedrive-api.ts';
import {
  ConversionStarted,
  ConversionStatus,
  checked,
  FieldAnswer,
  FieldsPage,
  NamedList,
  RecentsPage,
  RecordAnswer,
  SearchAnswer,
  V1Page,
  V2Page,
} from './pipedrive-schemas.ts';
import type { Transport } from './pipedrive-transport.ts';

export type * from './pipedrive-api.ts';

/** The axios instance type the SDK's request functions take; the transport stands in for it. */
type SdkHttp = NonNullable<
  Parameters<Awaited<ReturnType<ReturnType<typeof v2.PersonsApiFp>['getPersons']>>>[0]
>;

/** A request the SDK built, waiting for the HTTP client to send it with. */
type Built = Promise<(http?: SdkHttp, basePath?: string) => Promise<unknown>>;

const numeric = (id: string) => Number(id);

/**
 * The API on the official client's request builders (`*ApiFp`: paths, query, `x-api-token`, JSON body), sent by
 * `transport`; `baseUrl` is the company domain's (`https://acme.pipedrive.com`) or the sandbox's.
 */
export function createPipedriveApi(baseUrl: string, token: string, transport: Transport): PipedriveApi {
  const base = baseUrl.replace(/\/+$/, '');
  const c1 = new v1.Configuration({ apiKey: token, basePath: `${base}/api/v1` });
  const c2 = new v2.Configuration({ apiKey: token, basePath: `${base}/api/v2` });
  // The one cast: the transport has the only member of an axios instance the request functions call.
  const http = transport as unknown as SdkHttp;
  const send = async (built: Built): Promise<unknown> => (await built)(http);
  const persons = v2.PersonsApiFp(c2);
  const organizations = v2.OrganizationsApiFp(c2);
  const deals = v2.DealsApiFp(c2);
  const leads = v1.LeadsApiFp(c1);
  const leads2 = v2.LeadsApiFp(c2);

  const listOf = (object: V2Object, q: ListQuery) => {
    const ids = q.ids?.join(',');
    switch (object) {
      case 'persons':
        return persons.getPersons(
          undefined,
          ids,
          undefined,
          undefined,
          undefined,
          q.updatedSince,
          undefined,
          'update_time',
          'asc',
          undefined,
          undefined,
          undefined,
          undefined,
          q.limit,
          q.cursor,
        );
      case 'organizations':
        return organizations.getOrganizations(
          undefined,
          ids,
          undefined,
          q.updatedSince,
          undefined,
          'update_time',
          'asc',
          undefined,
          undefined,
          undefined,
          undefined,
          q.limit,
          q.cursor,
        );
      case 'deals':
        return deals.getDeals(
          undefined,
          ids,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          q.updatedSince,
          undefined,
          'update_time',
          'asc',
          undefined,
          undefined,
          undefined,
          undefined,
          q.limit,
          q.cursor,
        );
    }
  };
  const offsetPage = <T>(answer: {
    data: T[] | null;
    additional_data?:
      | { pagination?: { more_items_in_collection?: boolean | undefined } | undefined }
      | null
      | undefined;
  }) => ({
    items: answer.data ?? [],
    more: answer.additional_data?.pagination?.more_items_in_collection === true,
  });
  const fieldsApi = {
    persons: v1.PersonFieldsApiFp(c1),
    organizations: v1.OrganizationFieldsApiFp(c1),
    deals: v1.DealFieldsApiFp(c1),
  };

  return {
    async list(object, query) {
      const page = checked(V2Page, await send(listOf(object, query)), `the ${object} list`);
      return { records: page.data, nextCursor: page.additional_data?.next_cursor ?? undefined };
    },

    async newestDeals(limit, cursor) {
      const built = deals.getDeals(
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        'add_time',
        'desc',
        'source_lead_id',
        undefined,
        undefined,
        undefined,
        limit,
        cursor,
      );
      const page = checked(V2Page, await send(built), 'the deals list');
      return { records: page.data, nextCursor: page.additional_data?.next_cursor ?? undefined };
    },

    async dealsOf(personId) {
      const built = deals.getDeals(
        undefined,
        undefined,
        undefined,
        personId,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        'id',
        'asc',
        undefined,
        undefined,
        undefined,
        undefined,
        100,
      );
      return checked(V2Page, await send(built), "the person's deals").data;
    },

    async deletedDeals(updatedSince, limit, cursor) {
      const built = deals.getDeals(
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        'deleted',
        updatedSince,
        undefined,
        'update_time',
        'asc',
        undefined,
        undefined,
        undefined,
        undefined,
        limit,
        cursor,
      );
      const page = checked(V2Page, await send(built), 'the deleted deals list');
      return { records: page.data, nextCursor: page.additional_data?.next_cursor ?? undefined };
    },

    async leadsOf(personId) {
      const built = leads.getLeads(100, 0, undefined, personId, undefined, undefined, undefined, 'add_time');
      return checked(V1Page, await send(built), "the person's leads").data ?? [];
    },

    async leads(start, limit, updatedSince) {
      const built = leads.getLeads(
        limit,
        start,
        undefined,
        undefined,
        undefined,
        undefined,
        updatedSince,
        'update_time',
      );
      return offsetPage(checked(V1Page, await send(built), 'the leads list'));
    },

    async get(object, id) {
      const built =
        object === 'leads'
          ? leads.getLead(id)
          : object === 'persons'
            ? persons.getPerson(numeric(id))
            : object === 'organizations'
              ? organizations.getOrganization(numeric(id))
              : deals.getDeal(numeric(id));
      return checked(RecordAnswer, await send(built), `the ${object} record`).data;
    },

    async create(object, body) {
      const built =
        object === 'leads'
          ? leads.addLead(body as unknown as v1.AddLeadRequest)
          : object === 'persons'
            ? persons.addPerson(body as v2.AddPersonRequest)
            : object === 'organizations'
              ? organizations.addOrganization(body as unknown as v2.AddOrganizationRequest)
              : deals.addDeal(body as unknown as v2.AddDealRequest);
      return checked(RecordAnswer, await send(built), `the ${object} create`).data;
    },

    async update(object, id, body) {
      const built =
        object === 'leads'
          ? leads.updateLead(id, body as v1.UpdateLeadRequest)
          : object === 'persons'
            ? persons.updatePerson(numeric(id), body as v2.UpdatePersonRequest)
            : object === 'organizations'
              ? organizations.updateOrganization(numeric(id), body as v2.UpdateOrganizationRequest)
              : deals.updateDeal(numeric(id), body as v2.UpdateDealRequest);
      return checked(RecordAnswer, await send(built), `the ${object} update`).data;
    },

    async remove(object, id) {
      const built =
        object === 'leads'
          ? leads.deleteLead(id)
          : object === 'persons'
            ? persons.deletePerson(numeric(id))
            : object === 'organizations'
              ? organizations.deleteOrganization(numeric(id))
              : deals.deleteDeal(numeric(id));
      await send(built);
    },

    async search(object, field, term) {
      type F<T extends (...a: never[]) => unknown> = Parameters<T>[1];
      const built =
        object === 'persons'
          ? persons.searchPersons(
              term,
              field as F<typeof persons.searchPersons>,
              true,
              undefined,
              undefined,
              100,
            )
          : object === 'organizations'
            ? organizations.searchOrganization(
                term,
                field as F<typeof organizations.searchOrganization>,
                true,
                100,
              )
            : object === 'deals'
              ? deals.searchDeals(
                  term,
                  field as F<typeof deals.searchDeals>,
                  true,
                  undefined,
                  undefined,
                  undefined,
                  undefined,
                  100,
                )
              : leads2.searchLeads(
                  term,
                  field as F<typeof leads2.searchLeads>,
                  true,
                  undefined,
                  undefined,
                  undefined,
                  100,
                );
      const answer = checked(SearchAnswer, await send(built), `the ${object} search`);
      return answer.data.items.map((i) => String(i.item.id));
    },

    async fields(object, start, limit) {
      const built =
        object === 'leads'
          ? v1.LeadFieldsApiFp(c1).getLeadFields(start, limit)
          : object === 'persons'
            ? fieldsApi.persons.getPersonFields(start, limit)
            : object === 'organizations'
              ? fieldsApi.organizations.getOrganizationFields(start, limit)
              : fieldsApi.deals.getDealFields(start, limit);
      return offsetPage(checked(FieldsPage, await send(built), `the ${object} fields`));
    },

    async addField(object, name, fieldType, options) {
      const request = {
        name,
        field_type: fieldType,
        ...(options ? { options: options.map((label) => ({ label })) } : {}),
      } as unknown as v1.CreateFieldRequest;
      const built =
        object === 'persons'
          ? fieldsApi.persons.addPersonField(request)
          : object === 'organizations'
            ? fieldsApi.organizations.addOrganizationField(request)
            : fieldsApi.deals.addDealField(request);
      return checked(FieldAnswer, await send(built), `the new ${object} field`).data;
    },

    async convertLead(id, stageId) {
      const built = leads2.convertLeadToDeal(id, stageId === undefined ? {} : { stage_id: stageId });
      return checked(ConversionStarted, await send(built), 'the lead conversion').data.conversion_id;
    },

    async conversionStatus(id, conversionId) {
      const answer = checked(
        ConversionStatus,
        await send(leads2.getLeadConversionStatus(id, conversionId)),
        'the conversion status',
      );
      return {
        status: answer.data.status,
        ...(answer.data.deal_id != null ? { dealId: answer.data.deal_id } : {}),
      };
    },

    async pipelines() {
      const pipelines = checked(
        NamedList,
        await send(v2.PipelinesApiFp(c2).getPipelines(undefined, undefined, 500)),
        'the pipelines',
      );
      const stages = checked(
        NamedList,
        await send(v2.StagesApiFp(c2).getStages(undefined, undefined, undefined, 500)),
        'the stages',
      );
      return { pipelines: pipelines.data ?? [], stages: stages.data ?? [] };
    },

    async leadLabels() {
      return (
        checked(NamedList, await send(v1.LeadLabelsApiFp(c1).getLeadLabels()), 'the lead labels').data ?? []
      );
    },

    async recents(item, since, start, limit) {
      const answer = checked(
        RecentsPage,
        await send(v1.RecentsApiFp(c1).getRecents(since, item, start, limit)),
        'recents',
      );
      const page = offsetPage(answer);
      return {
        more: page.more,
        items: page.items.map((e) => ({
          id: String(e.id),
          active: e.data?.active_flag !== false,
          updateTime: e.data?.update_time ?? undefined,
        })),
      };
    },
  };
}
