// `tax-calculator-js`: exports `patchbay:orders/tax`, in JavaScript, built
// with componentize-js. It answers exactly as the Rust `tax-calculator`
// (samples/components/tax-calculator):
//
// | region | rule            | flags          | amount                      |
// |--------|-----------------|----------------|-----------------------------|
// | eu     | standard(2000)  | {}             | subtotal * 2000 / 10000     |
// | us     | reduced(800)    | {reduced-rate} | subtotal * 800 / 10000      |
// | apac   | exempt          | {exempt}       | 0                           |
//
// Amounts round down. A subtotal above 10^12 cents is refused with
// `err("subtotal too large")`. `u64` values arrive and leave as BigInt.

/** The largest subtotal quoted, in cents. */
const MAX_SUBTOTAL_CENTS = 1_000_000_000_000n;

const NO_FLAGS = { reducedRate: false, exempt: false, reverseCharge: false };

/** The rule and flags of each region. */
const RULES = {
  eu: { rule: { tag: 'standard', val: 2000 }, flags: NO_FLAGS },
  us: { rule: { tag: 'reduced', val: 800 }, flags: { ...NO_FLAGS, reducedRate: true } },
  apac: { rule: { tag: 'exempt' }, flags: { ...NO_FLAGS, exempt: true } },
};

export const tax = {
  quote(region, subtotalCents) {
    if (subtotalCents > MAX_SUBTOTAL_CENTS) {
      // A thrown value becomes the `err` case of the result.
      throw 'subtotal too large';
    }
    const { rule, flags } = RULES[region];
    // Cannot exceed 2^64: subtotal <= 10^12 and the rate <= 10^4.
    const amountCents = rule.tag === 'exempt' ? 0n : (subtotalCents * BigInt(rule.val)) / 10_000n;
    return { rule, flags, amountCents };
  },
};
