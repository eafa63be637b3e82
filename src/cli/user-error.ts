/** A problem with what the user typed or configured: printed as one line, no stack trace. */
export class UserError extends Error {}
