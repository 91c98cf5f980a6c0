/**
 * The client's `client-request-id`, echoed in the response header and in an error's innerError
 * when it is 1 to 200 visible ASCII characters; otherwise (absent, empty, too long, or holding
 * spaces, controls or non-ASCII bytes that could not be written back as they are) the request's
 * own id stands in for it, as Graph does when none is sent.
 */
export function clientRequestIdOf(sent: unknown, requestId: string): string {
  return typeof sent === 'string' && /^[\x21-\x7e]{1,200}$/.test(sent) ? sent : requestId;
}
