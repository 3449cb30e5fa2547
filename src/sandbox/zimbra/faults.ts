// Zimbra's ServiceException codes and reason texts, as the server phrases them (wire notes §3).

export interface FaultArg {
  n: string;
  t: 'IID' | 'ACCTID' | 'STR' | 'NUM';
  v: string;
}

export class SoapFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** `soap:Sender` (client error) or `soap:Receiver` (server failure). */
    readonly sender = true,
    readonly args: FaultArg[] = [],
  ) {
    super(message);
  }
}

export const fault = {
  invalid: (why: string) => new SoapFault('service.INVALID_REQUEST', `invalid request: ${why}`),
  parse: (why: string) => new SoapFault('service.PARSE_ERROR', `parse error: ${why}`),
  unknownDocument: (name: string) => new SoapFault('service.UNKNOWN_DOCUMENT', `unknown document: ${name}`),
  authRequired: () => new SoapFault('service.AUTH_REQUIRED', 'no valid authtoken present'),
  authExpired: () => new SoapFault('service.AUTH_EXPIRED', 'auth credentials have expired'),
  permDenied: (why: string) => new SoapFault('service.PERM_DENIED', `permission denied: ${why}`),
  failure: (why: string) => new SoapFault('service.FAILURE', `system failure: ${why}`, false),
  authFailed: (name: string) => new SoapFault('account.AUTH_FAILED', `authentication failed for [${name}]`),
  noAccount: (name: string) =>
    new SoapFault('account.NO_SUCH_ACCOUNT', `no such account: ${name}`, true, [{ n: 'name', t: 'STR', v: name }]),
  noContact: (id: string) =>
    new SoapFault('mail.NO_SUCH_CONTACT', `no such contact: ${id}`, true, [{ n: 'itemId', t: 'IID', v: id }]),
  noItem: (id: string) =>
    new SoapFault('mail.NO_SUCH_ITEM', `no such item: ${id}`, true, [{ n: 'itemId', t: 'IID', v: id }]),
  noFolder: (id: string) =>
    new SoapFault('mail.NO_SUCH_FOLDER', `no such folder id: ${id}`, true, [{ n: 'itemId', t: 'IID', v: id }]),
  cannotContain: () => new SoapFault('mail.CANNOT_CONTAIN', 'cannot put object in that folder'),
  noUpload: (aid: string) =>
    new SoapFault('mail.NO_SUCH_UPLOAD', `upload not found: ${aid}`, true, [{ n: 'uploadId', t: 'STR', v: aid }]),
  queryParse: (why: string) => new SoapFault('mail.QUERY_PARSE_ERROR', `Couldn't parse query: ${why}`),
};
