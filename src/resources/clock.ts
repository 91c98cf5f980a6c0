/** An injected source of time, so tests and fixtures can make it deterministic. */
export interface Clock {
  now(): Date;
}
