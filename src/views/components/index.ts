// GOV.UK Frontend's components as typed TypeScript functions: the markup of the Nunjucks macros, checked against
// govuk-frontend's own fixtures.json by test/govuk-components.test.ts. They know no capability module.
export * from './basic.ts';
export * from './fields.ts';
export * from './form.ts';
export * from './html.ts';
export * from './moj.ts';
export * from './navigation.ts';
export * from './page.ts';
export * from './summary.ts';
export * from './table.ts';
