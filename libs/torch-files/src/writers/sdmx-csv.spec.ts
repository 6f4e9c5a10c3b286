import { SdmxCsvError, SdmxCsvSerializer, structureId } from './sdmx-csv';

describe(SdmxCsvSerializer.name, () => {
  const flow = { agency: 'HUOJU', id: 'TORCH_MONTHLY', version: '1.0' };
  const sut = new SdmxCsvSerializer(flow, ['PARK', 'SUB_PARK', 'TIME_PERIOD', 'INDICATOR', 'MEASURE']);

  it('names the dataflow AGENCY:ID(VERSION)', () => {
    expect(structureId(flow)).toBe('HUOJU:TORCH_MONTHLY(1.0)');
  });

  it('writes the SDMX-CSV 2.0 header: structure columns, action, dimensions, OBS_VALUE', () => {
    expect(sut.header()).toBe(
      'STRUCTURE,STRUCTURE_ID,ACTION,PARK,SUB_PARK,TIME_PERIOD,INDICATOR,MEASURE,OBS_VALUE\r\n',
    );
  });

  it('writes one observation per record with the exact decimal', () => {
    expect(sut.observation(['CORE', '_T', '2026-09', 'qc05_0', 'YTD'], '12345678901234567.891')).toBe(
      'dataflow,HUOJU:TORCH_MONTHLY(1.0),I,CORE,_T,2026-09,qc05_0,YTD,12345678901234567.891\r\n',
    );
    expect(sut.observation(['CORE', 'CORE-ZJ', '2026-09', 'qc12', 'M'], '-20.5')).toContain(',M,-20.5\r\n');
  });

  it('takes an action and an annual period', () => {
    const replace = new SdmxCsvSerializer({ ...flow, id: 'TORCH_ANNUAL' }, ['PARK', 'TIME_PERIOD'], 'R');
    expect(replace.observation(['PT', '2025'], '1')).toBe('dataflow,HUOJU:TORCH_ANNUAL(1.0),R,PT,2025,1\r\n');
  });

  it.each([
    [['CORE', '_T', '2026-9', 'qc05_0', 'YTD'], '1', /TIME_PERIOD/],
    [['CORE', 'a,b', '2026-09', 'qc05_0', 'YTD'], '1', /SUB_PARK/],
    [['CORE', '_T', '2026-09', 'qc05_0'], '1', /4 values for 5/],
    [['CORE', '_T', '2026-09', 'qc05_0', 'YTD'], '1e3', /not a decimal/],
    [['CORE', '_T', '2026-09', 'qc05_0', 'YTD'], '', /not a decimal/],
  ])('refuses the key %j with value %j', (key, value, message) => {
    expect(() => sut.observation(key, value)).toThrow(message);
  });

  it('refuses dimension ids that clash with the structure columns or are not ids', () => {
    expect(() => new SdmxCsvSerializer(flow, ['ACTION'])).toThrow(SdmxCsvError);
    expect(() => new SdmxCsvSerializer(flow, ['1PARK'])).toThrow(SdmxCsvError);
    expect(() => new SdmxCsvSerializer(flow, ['PARK', 'PARK'])).toThrow(SdmxCsvError);
    expect(() => new SdmxCsvSerializer({ ...flow, version: 'one' }, ['PARK'])).toThrow(SdmxCsvError);
  });
});
