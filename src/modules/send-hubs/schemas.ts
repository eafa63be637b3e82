// The SEND hubs' inputs, declared once per part (TypeBox through src/http/schema-input.ts): the API validates and
// documents them with `.schema`, the pages read them with `.read`/`.parse`.
export * from './schemas-calls.ts';
export * from './schemas-requests.ts';
export * from './schemas-setup.ts';
export * from './schemas-triage.ts';
