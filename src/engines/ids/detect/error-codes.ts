import { defineErrorCodes } from '../../../core/errors.js';

/** Error codes of the IDS detect, log and pipeline stages (`vigil ids`). */
export const IDS_DETECT_ERRORS = defineErrorCodes({
  IDS_THRESHOLD_FILE: {
    summary: 'The threshold file given with --threshold (or "threshold" in the -c config) cannot be read.',
    action: 'Check the path and permissions. Bad lines inside a readable file are reported with file:line and skipped.',
  },
  IDS_CLASSIFICATION_FILE: {
    summary: 'The classification.config file named in the -c config cannot be read.',
    action: 'Check the path, or leave "classification" out to use Snort\'s standard classifications.',
  },
  IDS_LOG_DIR: {
    summary: 'An alert log file (alert_fast.txt, alert_json.txt, alert_full.txt) cannot be created in the -l directory.',
    action: 'Check that the directory can be created and written by the user running Vigil.',
  },
  IDS_CONFIG: {
    summary: 'The IDS config file given with -c cannot be read, is not JSON, or has a wrong key.',
    action: 'The message names the file and the key; see docs/ids.md for the format.',
  },
  IDS_NO_INPUT: {
    summary: 'vigil ids was run without packets to read (no -r and no --pcap-dir) or a --pcap-dir holds no capture files.',
    action: 'Give at least one capture with -r FILE or a directory with --pcap-dir DIR; use --check-rules to only load rules.',
  },
  IDS_NO_RULES: {
    summary: 'vigil ids was run without any rule file (-R or "rules" in the -c config).',
    action: 'Give rule files with -R FILE (repeatable).',
  },
  IDS_BAD_VAR: {
    summary: 'A --var argument is not NAME=VALUE.',
    action: 'Write it as --var HOME_NET=[10.0.0.0/8] (quote it for the shell).',
  },
});
