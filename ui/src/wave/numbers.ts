/**
 * Floats as the host's wasm-wave writes and reads them: Rust's `Display`
 * (the shortest digits that read back, never an exponent) and Rust's
 * correctly rounded `f32`/`f64` parsing (out-of-range text is infinity).
 * The shared cases in `tests/wave/cases.json` hold both sides to it.
 */

/**
 * The shortest decimal text that reads back as the same f32 or f64, in
 * JavaScript's notation (`1e+21`): what a form's number input shows.
 */
export function formatFloat(value: number, f32: boolean): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0';
  if (!f32) return String(value);
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(single.toPrecision(digits));
    if (Math.fround(text) === single) return String(text);
    // Just above a power of two the gap below is half the gap above, so
    // the nearest `digits`-digit number may miss while the one past it
    // (what Rust's shortest-digits writer picks) still reads back.
    const other = neighbour(single, text, digits);
    if (other !== null && Math.fround(other) === single) return String(other);
  }
  return String(single);
}

/** The `digits`-digit decimal on the other side of `value` from `near`. */
function neighbour(value: number, near: number, digits: number): number | null {
  if (near === value || !Number.isFinite(near)) return null;
  const exponent = Math.floor(Math.log10(Math.abs(near)));
  const step = 10 ** (exponent - digits + 1);
  const other = near < value ? near + step : near - step;
  return Number(other.toPrecision(digits));
}

/** A float as WAVE text, exactly as wasm-wave writes it. */
export function waveFloat(value: number, f32: boolean): string {
  const shortest = formatFloat(value, f32);
  if (f32 || !Number.isFinite(value) || Object.is(value, -0)) return positional(shortest);
  // JavaScript breaks a tie between two equally near shortest texts towards
  // the even one (2^-25 is `…695312`), Rust away from zero (`…695313`);
  // `toExponential` rounds halves away from zero too.
  const significant = shortest.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+|0+$/g, '').length;
  const away = value.toExponential(Math.max(significant - 1, 0));
  return positional(Number(away) === value ? away : shortest);
}

/** `1.5e+21` → `1500000000000000000000`, `1e-7` → `0.0000001`. */
function positional(text: string): string {
  const m = /^(-?)([0-9])(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, fraction = '', exponentText] = m;
  const digits = lead + fraction;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const F32_MAX = 3.4028234663852886e38;
/** Halfway between the largest f32 and 2^128: from here up, f32 text is infinity. */
const F32_OVERFLOW = 2 ** 128 - 2 ** 103;

/**
 * Reads JSON-number text as the nearest f32, as Rust's `f32::from_str`
 * does. Going through the nearest f64 first (as `Math.fround(Number(t))`
 * does) rounds twice, which is wrong when the f64 lands exactly halfway
 * between two f32s: `16777217.000000001` is f32 16777218, not 16777216.
 */
export function parseF32(text: string): number {
  const double = Number(text);
  const single = Math.fround(double);
  if (single === double || Number.isNaN(double) || !Number.isFinite(double)) return single;
  const magnitude = Math.abs(double);
  const sign = double < 0 ? -1 : 1;
  const rounded = Math.abs(single);
  let below: number;
  let above: number;
  if (rounded === Infinity) {
    below = F32_MAX;
    above = Infinity;
  } else if (rounded < magnitude) {
    below = rounded;
    above = nextF32(rounded);
  } else {
    below = previousF32(rounded);
    above = rounded;
  }
  const halfway = above === Infinity ? F32_OVERFLOW : (below + above) / 2;
  if (halfway !== magnitude) return single;
  const order = compareDecimal(text.replace(/^-/, ''), magnitude);
  if (order === 0 || order === null) return single;
  return sign * (order > 0 ? above : below);
}

function f32Bits(value: number): number {
  const buffer = new Float32Array([value]);
  return new Uint32Array(buffer.buffer)[0];
}

function fromF32Bits(bits: number): number {
  return new Float32Array(new Uint32Array([bits]).buffer)[0];
}

/** The next f32 above a non-negative finite f32. */
function nextF32(value: number): number {
  return fromF32Bits(f32Bits(value) + 1);
}

/** The next f32 below a positive f32. */
function previousF32(value: number): number {
  return fromF32Bits(f32Bits(value) - 1);
}

/**
 * Compares non-negative decimal text with a finite f64 exactly: -1, 0 or 1,
 * or null when the text's exponent is too far out to bother.
 */
function compareDecimal(text: string, value: number): number | null {
  const m = /^([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m) return null;
  const [, whole, fraction = '', exponentText = '0'] = m;
  const exponent10 = Number(exponentText) - fraction.length;
  if (Math.abs(exponent10) > 2000 || whole.length + fraction.length > 2000) return null;
  let left = BigInt(whole + fraction);
  // The f64 as mantissa × 2^exponent2, exactly.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent2: number;
  if (biased === 0) {
    exponent2 = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent2 = biased - 1075;
  }
  let right = mantissa;
  if (exponent10 >= 0) left *= 10n ** BigInt(exponent10);
  else right *= 10n ** BigInt(-exponent10);
  if (exponent2 >= 0) right <<= BigInt(exponent2);
  else left <<= BigInt(-exponent2);
  return left === right ? 0 : left > right ? 1 : -1;
}
