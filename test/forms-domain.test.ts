import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareDecimal, decimalPlaces, isMultiple, nearestMultiples, parseDecimal } from '../forms/decimal.ts';
import { isEmail } from '../forms/email.ts';
import { countryCodes, isCnMobile, isInternationalPhone } from '../forms/phone.ts';
import { isValidUscc, USCC_ALPHABET, usccCheckCharacter } from '../forms/uscc.ts';

describe('forms: unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes', () => {
    // The standard's own example, and codes printed on well-known companies' business licences.
    for (const code of ['91350100M000100Y43', '9144030071526726XG', '91110000802100433B']) {
      assert.equal(isValidUscc(code), true, code);
    }
  });

  it('computes the check character: C18 = 31 - (Σ Ci·3^(i-1) mod 31) mod 31', () => {
    // Worked by hand for 91350100M000100Y4: weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28.
    const values = [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4];
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = values.reduce((s, v, i) => s + v * weights[i]!, 0);
    assert.equal(USCC_ALPHABET[(31 - (sum % 31)) % 31], '3');
    assert.equal(usccCheckCharacter('91350100M000100Y4'), '3');
  });

  it('accepts every code whose check character is computed, refuses every other check character', () => {
    const char = fc.constantFrom(...USCC_ALPHABET);
    const digit = fc.constantFrom(...'0123456789');
    const prefix = fc.tuple(fc.array(char, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(char, { minLength: 9, maxLength: 9 }))
      .map(([a, b, c]) => [...a, ...b, ...c].join(''));
    fc.assert(
      fc.property(prefix, char, (first17, other) => {
        const check = usccCheckCharacter(first17)!;
        assert.equal(isValidUscc(first17 + check), true);
        if (other !== check) assert.equal(isValidUscc(first17 + other), false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses wrong shapes: length, letters I O S V Z, lower case, letters in the region code', () => {
    assert.equal(isValidUscc('91350100M000100Y4'), false);
    assert.equal(isValidUscc('91350100M000100Y433'), false);
    assert.equal(isValidUscc('91350100m000100y43'), false);
    assert.equal(isValidUscc('9135O100M000100Y43'), false);
    assert.equal(isValidUscc('91350100M000100Z43'), false);
    assert.equal(usccCheckCharacter('91350100I000100Y4'), null);
    assert.equal(isValidUscc('9A35010M000100Y4X3'), false); // a letter in the 6-digit region code
  });
});

describe('forms: phone numbers and e-mail', () => {
  it('mainland mobile numbers: 1[3-9] and 9 digits, optionally +86', () => {
    for (const ok of ['13812345678', '19912345678', '+8613812345678', '15000000000']) assert.equal(isCnMobile(ok), true, ok);
    for (const bad of ['12812345678', '1381234567', '138123456789', '+86 13812345678', '008613812345678', '+8513812345678', '１３８１２３４５６７８']) {
      assert.equal(isCnMobile(bad), false, bad);
    }
  });

  it('international numbers: + or 00, a country code, 7 or more digits not starting with 0, 15 digits at most', () => {
    for (const ok of ['+4930664040900', '+8613812345678', '008613812345678', '+12025550123', '+85221234567']) {
      assert.equal(isInternationalPhone(ok), true, ok);
    }
    for (const bad of ['4930664040900', '+49 30664040900', '+490664040900', '+99912345678', '+49123456', '+4912345678901234', 'call +4930664040900', '+80012345678']) {
      assert.equal(isInternationalPhone(bad), false, bad);
    }
    assert.ok(countryCodes().includes('86') && countryCodes().includes('1') && !countryCodes().includes('800'));
  });

  it('e-mail addresses as the HTML standard defines them', () => {
    for (const ok of ['john.doe@example.com', 'a@b', 'x+y@sub.example.cn']) assert.equal(isEmail(ok), true, ok);
    for (const bad of ['a@', '@b.com', 'a b@c.com', 'a@-b.com', 'a@b..com']) assert.equal(isEmail(bad), false, bad);
  });
});

describe('forms: exact decimals', () => {
  it('reads numbers by their shortest text and strings as big.js does', () => {
    assert.deepEqual(parseDecimal(0.1), { units: 1n, scale: 1 });
    assert.deepEqual(parseDecimal('1.50'), { units: 15n, scale: 1 });
    assert.deepEqual(parseDecimal(1e21), { units: 10n ** 21n, scale: 0 });
    assert.deepEqual(parseDecimal('-.5'), { units: -5n, scale: 1 });
    for (const bad of ['', ' 1', '+1', '0x10', 'abc', '1e99999', Number.NaN, Infinity, true, null]) assert.equal(parseDecimal(bad), null, String(bad));
  });

  it('multiples, decimal places and comparison without binary rounding', () => {
    assert.equal(isMultiple(parseDecimal(0.3)!, parseDecimal(0.1)!), true);
    assert.equal(isMultiple(parseDecimal(0.35)!, parseDecimal('0.1')!), false);
    assert.deepEqual(nearestMultiples(parseDecimal(0.35)!, parseDecimal('0.1')!), ['0.3', '0.4']);
    assert.deepEqual(nearestMultiples(parseDecimal(-1.5)!, parseDecimal(1)!), ['-1', '0']);
    assert.equal(decimalPlaces(parseDecimal(7.123)!), 3);
    assert.equal(decimalPlaces(parseDecimal('2.500')!), 1);
    assert.equal(compareDecimal(parseDecimal('0.30000000000000001')!, parseDecimal(0.3)!), 1);
  });
});
