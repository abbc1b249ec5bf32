// Types for the parts of jstat (which ships none) that modelscout uses.
declare module 'jstat' {
  interface Distribution {
    inv(probability: number, ...parameters: number[]): number;
    cdf(value: number, ...parameters: number[]): number;
    pdf(value: number, ...parameters: number[]): number;
    mean(...parameters: number[]): number;
  }
  interface JStatStatic {
    beta: Distribution;
    normal: Distribution;
    studentt: Distribution;
    chisquare: Distribution;
    gamma: Distribution;
    gammaln(value: number): number;
    ibeta(x: number, a: number, b: number): number;
    ibetainv(probability: number, a: number, b: number): number;
  }
  const jStat: JStatStatic;
  export default jStat;
  export { jStat };
}
