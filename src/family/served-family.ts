import { onPremises } from './on-premises/on-premises.js';

/**
 * The API family the composition roots serve and migrate data for (the CLI's commands and
 * `startLocalgraph`), chosen here and nowhere else: the on-premises publishing family is the only
 * one built in, so there is no `--family` flag nor library option. A second built-in family would
 * make this a choice (a flag the commands read, an option of the library).
 */
export const servedFamily = onPremises;
