import { defineErrorCodes } from '../../core/errors.js';

/**
 * Error codes of the network IDS engine (one catalog for every IDS stage; docs/errors.md is generated
 * from it). Hot paths (decode, detect) never throw these: a bad packet becomes a decoder event.
 */
export const IDS_ERRORS = defineErrorCodes({
  IDS_CAPTURE_OPEN: {
    summary: 'A capture file (pcap or pcapng) could not be opened or read.',
    action: 'Check that the path exists, is a regular file and is readable by Vigil.',
  },
  IDS_CAPTURE_FORMAT: {
    summary: 'A capture file is neither pcap (any byte order, micro- or nanosecond) nor pcapng.',
    action: 'Convert the capture with `editcap -F pcap` or `tcpdump -r IN -w OUT`, or check that it is not compressed.',
  },
  IDS_CAPTURE_TRUNCATED: {
    summary: 'A capture file ends in the middle of a packet record or block (every packet before it was read).',
    action: 'The file was cut short (a capture still being written, or an interrupted copy); the message gives the byte offset where the partial record starts.',
  },
  IDS_CAPTURE_CORRUPT: {
    summary: 'A capture file has a record or block with an impossible length or structure at the offset shown.',
    action: 'Every packet before that offset was read. Repair the file with `pcapfix` or cut it at the offset shown.',
  },
  IDS_DUMP_WRITE: {
    summary: 'The packet dump file (--dump, inline mode) could not be created or written.',
    action: 'Check that the directory exists, is writable and has free space.',
  },
  IDS_DUMP_LINKTYPE: {
    summary: 'A pcap dump can hold one link type, and a packet with another one was to be written.',
    action: 'Write the dump as pcapng (one interface per link type), or read inputs of one link type per run.',
  },
  IDS_CAPTURE_LIVE: {
    summary: 'Live capture on an interface could not start or stopped unexpectedly.',
    action: 'Check that tcpdump is installed, that the interface exists (`ip link`), and that Vigil runs as root or with CAP_NET_RAW and CAP_NET_ADMIN.',
  },
});

/** An IDS error code. */
export type IdsErrorCode = keyof typeof IDS_ERRORS;
