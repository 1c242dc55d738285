import { defineErrorCodes } from '../../../core/errors.js';

/** Error codes of the IDS rule stage (rule files, rule syntax, variables). */
export const IDS_RULE_ERRORS = defineErrorCodes({
  IDS_RULE_PARSE: {
    summary: 'A rule could not be loaded: bad syntax, an unknown or unsupported option, a bad option argument, an unknown classtype or a pcre RE2 cannot run safely.',
    action: 'Fix the rule at the file:line shown, or disable it; the other rules still load. `vigil ids --check-rules` lists every rule that failed with its reason.',
  },
  IDS_RULE_FILE: {
    summary: 'A rule file (or a file it includes, or classification.config) could not be read.',
    action: 'Check the path in -R or in the include line shown and that Vigil may read it.',
  },
  IDS_RULE_DUPLICATE: {
    summary: 'Two rules have the same gid:sid; the one with the higher rev (the later on a tie) is kept.',
    action: 'Remove or renumber one of the two rules named in the message.',
  },
  IDS_RULE_VARIABLE: {
    summary: 'A rule or variable refers to an undefined $VARIABLE, or a variable value is not a valid address or port list.',
    action: 'Define the variable with --var NAME=VALUE or in the config file (ipvar/portvar lines in a rule file also work).',
  },
});
