// The radar's filters, declared once for the page, the CSV and the API (one message per field, naming it and the
// fix). The ids are checked against the council's own services, teams, localities and hubs by the service.
import { f, type InputOf, input } from '../../http/schema-input.ts';
import { LIST_KEYS } from './rules.ts';

export const WINDOWS = ['3', '6', '12'] as const;
export type Window = (typeof WINDOWS)[number];

const filterFields = {
  months: f.choice('Turning 18 within', WINDOWS, {
    invalid: 'Choose turning 18 within 3, 6 or 12 months',
    fallback: () => '12' as const,
  }),
  service: f.id('Service', { invalid: 'Choose a service from the list' }),
  team: f.id('Team', { invalid: 'Choose a team from the list' }),
  locality: f.id('Locality', { invalid: 'Choose a locality from the list' }),
  hub: f.id('Hub', { invalid: 'Choose a SEND hub from the list' }),
};

export const RadarFilter = input(filterFields);
export type RadarFilter = InputOf<typeof RadarFilter>;

/** The page and the API: the filters, and which list's named rows to page through, to which page. */
export const RadarQuery = input({
  ...filterFields,
  list: f.choice('List', LIST_KEYS, { invalid: `Choose the list to page through: ${LIST_KEYS.join(', ')}` }),
  page: f.integer('Page', 1, 100_000, { invalid: 'Enter a page number, 1 or more' }),
});
export type RadarQuery = InputOf<typeof RadarQuery>;

/** The CSV: one list, with the same filters. */
export const RadarCsvQuery = input({
  list: f.choice('List', LIST_KEYS, {
    required: true,
    missing: `Choose the list to export: ${LIST_KEYS.join(', ')}`,
    invalid: `Choose the list to export: ${LIST_KEYS.join(', ')}`,
  }),
  ...filterFields,
});
export type RadarCsvQuery = InputOf<typeof RadarCsvQuery>;
