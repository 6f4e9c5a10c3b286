import { isFormulaText, neutralizeFormula } from './formula-text';

describe(neutralizeFormula.name, () => {
  it.each([
    ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
    ['+cmd', "'+cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠A1', "'＠A1"],
  ])('defuses %j', (text, expected) => {
    expect(neutralizeFormula(text)).toBe(expected);
    expect(isFormulaText(neutralizeFormula(text))).toBe(false);
  });

  it.each(['上海张江科技有限公司', '-20', '-0.5', '1234.5', 'a=b', '', "'=already"])('keeps %j', (text) => {
    expect(neutralizeFormula(text)).toBe(text);
  });
});
