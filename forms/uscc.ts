// The unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-letter
// alphabet (digits and capitals without I, O, S, V, Z).
//
//   1      registration authority (登记管理部门代码)
//   2      organisation category (机构类别代码)
//   3-8    administrative division of the registering office (登记管理机关行政区划码), 6 digits
//   9-17   the subject's identifier (主体标识码, the former organisation code)
//   18     check character: for positions i = 1..17 with values Ci and weights Wi = 3^(i-1) mod 31,
//          C18 = 31 - (Σ Ci·Wi mod 31), where 31 counts as 0.

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** The shape only (a regular expression cannot check the check character); see isValidUscc. */
export const USCC_SHAPE = /^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/;

const WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k += 1) w = (w * 3) % 31;
  return w;
});

/** The check character for the first 17 characters; null when they are not of the alphabet. */
export function usccCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_ALPHABET.indexOf(first17[i]!);
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[check]!;
}

/** True for an 18-character code of the right shape whose check character is correct. */
export function isValidUscc(code: string): boolean {
  if (typeof code !== 'string' || !USCC_SHAPE.test(code)) return false;
  return usccCheckCharacter(code.slice(0, 17)) === code[17];
}
