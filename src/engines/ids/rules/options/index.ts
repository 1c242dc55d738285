/**
 * Every rule option, as an explicit list sorted by option name (like Snort's ips_options.cc). Adding an
 * option means adding its file and one line here; createRegistry refuses duplicate names at startup.
 */
import { createRegistry } from '../../../../core/registry.js';
import type { OptionDef } from './types.js';
import { ack } from './ack.js';
import { asn1 } from './asn1.js';
import { base64Data } from './base64_data.js';
import { base64Decode } from './base64_decode.js';
import { berData } from './ber_data.js';
import { berSkip } from './ber_skip.js';
import { bsize } from './bsize.js';
import { bufferlen } from './bufferlen.js';
import { byteExtract } from './byte_extract.js';
import { byteJump } from './byte_jump.js';
import { byteMath } from './byte_math.js';
import { byteTest } from './byte_test.js';
import { classtype } from './classtype.js';
import { content } from './content.js';
import { dceIface } from './dce_iface.js';
import { dceOpnum } from './dce_opnum.js';
import { dceStubData } from './dce_stub_data.js';
import { depth } from './depth.js';
import { detectionFilter } from './detection_filter.js';
import { distance } from './distance.js';
import { dnsQueryBuffer } from './dns.query.js';
import { dnsQuery } from './dns_query.js';
import { dotprefix } from './dotprefix.js';
import { dsize } from './dsize.js';
import { endswith } from './endswith.js';
import { fastPattern } from './fast_pattern.js';
import { fileDataBuffer } from './file.data.js';
import { fileData } from './file_data.js';
import { flags } from './flags.js';
import { flow } from './flow.js';
import { flowbits } from './flowbits.js';
import { flowint } from './flowint.js';
import { fragbits } from './fragbits.js';
import { fragoffset } from './fragoffset.js';
import { ftpbounce } from './ftpbounce.js';
import { gid } from './gid.js';
import { httpAcceptBuffer } from './http.accept.js';
import { httpAcceptEncBuffer } from './http.accept_enc.js';
import { httpAcceptLangBuffer } from './http.accept_lang.js';
import { httpConnectionBuffer } from './http.connection.js';
import { httpContentLenBuffer } from './http.content_len.js';
import { httpContentTypeBuffer } from './http.content_type.js';
import { httpCookieBuffer } from './http.cookie.js';
import { httpHeaderBuffer } from './http.header.js';
import { httpHeaderRawBuffer } from './http.header.raw.js';
import { httpHeaderNamesBuffer } from './http.header_names.js';
import { httpHostBuffer } from './http.host.js';
import { httpHostRawBuffer } from './http.host.raw.js';
import { httpLocationBuffer } from './http.location.js';
import { httpMethodBuffer } from './http.method.js';
import { httpProtocolBuffer } from './http.protocol.js';
import { httpRefererBuffer } from './http.referer.js';
import { httpRequestBodyBuffer } from './http.request_body.js';
import { httpRequestLineBuffer } from './http.request_line.js';
import { httpResponseBodyBuffer } from './http.response_body.js';
import { httpResponseLineBuffer } from './http.response_line.js';
import { httpServerBuffer } from './http.server.js';
import { httpStartBuffer } from './http.start.js';
import { httpStatCodeBuffer } from './http.stat_code.js';
import { httpStatMsgBuffer } from './http.stat_msg.js';
import { httpUriBuffer } from './http.uri.js';
import { httpUriRawBuffer } from './http.uri.raw.js';
import { httpUserAgentBuffer } from './http.user_agent.js';
import { httpAccept } from './http_accept.js';
import { httpClientBody } from './http_client_body.js';
import { httpContentType } from './http_content_type.js';
import { httpCookie } from './http_cookie.js';
import { httpHeader } from './http_header.js';
import { httpHeaderNames } from './http_header_names.js';
import { httpHost } from './http_host.js';
import { httpMethod } from './http_method.js';
import { httpProtocol } from './http_protocol.js';
import { httpRawCookie } from './http_raw_cookie.js';
import { httpRawHeader } from './http_raw_header.js';
import { httpRawHost } from './http_raw_host.js';
import { httpRawUri } from './http_raw_uri.js';
import { httpReferer } from './http_referer.js';
import { httpStart } from './http_start.js';
import { httpStatCode } from './http_stat_code.js';
import { httpStatMsg } from './http_stat_msg.js';
import { httpUri } from './http_uri.js';
import { httpUserAgent } from './http_user_agent.js';
import { icmpId } from './icmp_id.js';
import { icmpSeq } from './icmp_seq.js';
import { icode } from './icode.js';
import { idOption } from './id.js';
import { ipProto } from './ip_proto.js';
import { ipopts } from './ipopts.js';
import { isdataat } from './isdataat.js';
import { itype } from './itype.js';
import { ja3HashBuffer } from './ja3.hash.js';
import { ja3StringBuffer } from './ja3.string.js';
import { ja3Hash } from './ja3_hash.js';
import { ja3sHashBuffer } from './ja3s.hash.js';
import { metadata } from './metadata.js';
import { msg } from './msg.js';
import { noalert } from './noalert.js';
import { nocase } from './nocase.js';
import { offset } from './offset.js';
import { pcre } from './pcre.js';
import { pktData } from './pkt_data.js';
import { priority } from './priority.js';
import { rawData } from './raw_data.js';
import { rawbytes } from './rawbytes.js';
import { reference } from './reference.js';
import { rev } from './rev.js';
import { rpc } from './rpc.js';
import { sameip } from './sameip.js';
import { seq } from './seq.js';
import { service } from './service.js';
import { sid } from './sid.js';
import { sipBody } from './sip_body.js';
import { sipHeader } from './sip_header.js';
import { sipMethod } from './sip_method.js';
import { sipStatCode } from './sip_stat_code.js';
import { sshProtoBuffer } from './ssh.proto.js';
import { sshSoftwareBuffer } from './ssh.software.js';
import { sshProto } from './ssh_proto.js';
import { sslState } from './ssl_state.js';
import { sslVersion } from './ssl_version.js';
import { startswith } from './startswith.js';
import { streamSize } from './stream_size.js';
import { tag } from './tag.js';
import { target } from './target.js';
import { threshold } from './threshold.js';
import { tlsCertFingerprintBuffer } from './tls.cert_fingerprint.js';
import { tlsCertIssuerBuffer } from './tls.cert_issuer.js';
import { tlsCertSerialBuffer } from './tls.cert_serial.js';
import { tlsCertSubjectBuffer } from './tls.cert_subject.js';
import { tlsCertsBuffer } from './tls.certs.js';
import { tlsSniBuffer } from './tls.sni.js';
import { tlsVersion } from './tls.version.js';
import { tlsCertIssuer } from './tls_cert_issuer.js';
import { tlsCertSubject } from './tls_cert_subject.js';
import { tlsSni } from './tls_sni.js';
import { tos } from './tos.js';
import { ttl } from './ttl.js';
import { uricontent } from './uricontent.js';
import { urilen } from './urilen.js';
import { window } from './window.js';
import { within } from './within.js';
import { xbits } from './xbits.js';

/** All rule options by name. */
export const optionRegistry = createRegistry<OptionDef>('rule option', [
  ack,
  asn1,
  base64Data,
  base64Decode,
  berData,
  berSkip,
  bsize,
  bufferlen,
  byteExtract,
  byteJump,
  byteMath,
  byteTest,
  classtype,
  content,
  dceIface,
  dceOpnum,
  dceStubData,
  depth,
  detectionFilter,
  distance,
  dnsQueryBuffer,
  dnsQuery,
  dotprefix,
  dsize,
  endswith,
  fastPattern,
  fileDataBuffer,
  fileData,
  flags,
  flow,
  flowbits,
  flowint,
  fragbits,
  fragoffset,
  ftpbounce,
  gid,
  httpAcceptBuffer,
  httpAcceptEncBuffer,
  httpAcceptLangBuffer,
  httpConnectionBuffer,
  httpContentLenBuffer,
  httpContentTypeBuffer,
  httpCookieBuffer,
  httpHeaderBuffer,
  httpHeaderRawBuffer,
  httpHeaderNamesBuffer,
  httpHostBuffer,
  httpHostRawBuffer,
  httpLocationBuffer,
  httpMethodBuffer,
  httpProtocolBuffer,
  httpRefererBuffer,
  httpRequestBodyBuffer,
  httpRequestLineBuffer,
  httpResponseBodyBuffer,
  httpResponseLineBuffer,
  httpServerBuffer,
  httpStartBuffer,
  httpStatCodeBuffer,
  httpStatMsgBuffer,
  httpUriBuffer,
  httpUriRawBuffer,
  httpUserAgentBuffer,
  httpAccept,
  httpClientBody,
  httpContentType,
  httpCookie,
  httpHeader,
  httpHeaderNames,
  httpHost,
  httpMethod,
  httpProtocol,
  httpRawCookie,
  httpRawHeader,
  httpRawHost,
  httpRawUri,
  httpReferer,
  httpStart,
  httpStatCode,
  httpStatMsg,
  httpUri,
  httpUserAgent,
  icmpId,
  icmpSeq,
  icode,
  idOption,
  ipProto,
  ipopts,
  isdataat,
  itype,
  ja3HashBuffer,
  ja3StringBuffer,
  ja3Hash,
  ja3sHashBuffer,
  metadata,
  msg,
  noalert,
  nocase,
  offset,
  pcre,
  pktData,
  priority,
  rawData,
  rawbytes,
  reference,
  rev,
  rpc,
  sameip,
  seq,
  service,
  sid,
  sipBody,
  sipHeader,
  sipMethod,
  sipStatCode,
  sshProtoBuffer,
  sshSoftwareBuffer,
  sshProto,
  sslState,
  sslVersion,
  startswith,
  streamSize,
  tag,
  target,
  threshold,
  tlsCertFingerprintBuffer,
  tlsCertIssuerBuffer,
  tlsCertSerialBuffer,
  tlsCertSubjectBuffer,
  tlsCertsBuffer,
  tlsSniBuffer,
  tlsVersion,
  tlsCertIssuer,
  tlsCertSubject,
  tlsSni,
  tos,
  ttl,
  uricontent,
  urilen,
  window,
  within,
  xbits,
]);
