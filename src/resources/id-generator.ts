/** An injected source of new entity ids, so tests and fixtures can make them deterministic. */
export interface IdGenerator {
  newId(): string;
}
