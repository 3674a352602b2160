// Phone numbers.
//
// Mainland China mobile numbers (validationType 'cnMobile'): 11 digits, 1 then 3-9 then 9 digits,
// optionally prefixed with +86.
//
// International numbers (validationType 'phone', form-js's own option): form-js checks a loose
// pattern (a '+' or '00' prefix, a country code, 5 to 23 further digits, and only the end of the
// text is matched). Gridflow accepts a stricter subset, the E.164 shape: the whole value is '+' or
// '00', an ITU country calling code of a geographic area, then a national number that does not
// start with 0, at least 7 digits, at most 15 digits after the prefix in all. Every number
// accepted here is accepted by form-js too (the differential test checks each country code).

export const CN_MOBILE_PATTERN = /^(?:\+86)?1[3-9]\d{9}$/;

export function isCnMobile(value: string): boolean {
  return CN_MOBILE_PATTERN.test(value);
}

// ITU-T E.164 country calling codes assigned to geographic areas (non-geographic services such as
// +800 and +881-883, and codes form-js does not know, are left out).
const COUNTRY_CODES = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 ' +
    '90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 ' +
    '237 238 239 240 241 242 243 244 245 246 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 ' +
    '267 268 269 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 379 380 ' +
    '381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 ' +
    '598 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 850 852 853 855 856 880 ' +
    '886 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 994 995 996 998'
  ).split(' '),
);

export function countryCodes(): string[] {
  return [...COUNTRY_CODES];
}

export function isInternationalPhone(value: string): boolean {
  const match = /^(?:\+|00)(\d{8,15})$/.exec(value);
  if (!match) return false;
  const digits = match[1]!;
  // Country codes are prefix-free, so at most one of the 1-, 2- and 3-digit readings is a code.
  for (let length = 1; length <= 3; length += 1) {
    const code = digits.slice(0, length);
    if (!COUNTRY_CODES.has(code)) continue;
    const national = digits.slice(length);
    return national.length >= 7 && national[0] !== '0';
  }
  return false;
}
