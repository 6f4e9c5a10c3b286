import { clientErrorResponse } from './client-error';

describe(clientErrorResponse.name, () => {
  it('answers what Node’s parser refuses with problem+json, a stable code and both languages', () => {
    const response = clientErrorResponse('HPE_HEADER_OVERFLOW');
    const [head, body] = response.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toContain('Content-Type: application/problem+json');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body!)}`);
    expect(JSON.parse(body!)).toMatchObject({
      status: 431,
      code: 'REQUEST.HEADERS_TOO_LARGE',
      detail: expect.stringContaining('16 KB'),
      detailZh: expect.stringContaining('16 KB'),
    });
    expect(clientErrorResponse('HPE_INVALID_METHOD')).toMatch(/^HTTP\/1\.1 400 [^]*"code":"REQUEST.MALFORMED"/);
    expect(clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT')).toMatch(/^HTTP\/1\.1 408 /);
  });
});
