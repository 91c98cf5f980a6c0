import { onPremises } from '../family/on-premises/on-premises.js';

/**
 * The API family the CLI's commands serve and migrate data for, chosen here and nowhere else:
 * the on-premises publishing family is the only one built in, so there is no `--family` flag.
 * A second built-in family would become a choice made here (a flag read by each command).
 */
export const servedFamily = onPremises;
