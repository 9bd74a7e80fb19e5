// samples/order-pipeline outside Patchbay: four components behind one
// export, records, an enum, an option, a variant error and a resource
// crossing an inner wire. samples/order-pipeline-polyglot is the same
// pipeline with a Python validator and a JavaScript tax calculator: it must
// answer every runtime exactly as the all-Rust pipeline answers Patchbay.
import test from 'node:test';
import { assertSameReturn, describe, exportAndTranspile, runEverywhere, sample } from './lib/matrix.js';
import { patchbayCall } from './lib/tools.js';
import { en, list, none, rec, some, str, u32, u64 } from './lib/values.js';

const item = (sku, quantity, cents) => rec({ sku: str(sku), quantity: u32(quantity), 'unit-price-cents': u64(cents) });
const order = (id, customer, region, items, coupon = none) =>
  rec({ id: str(id), customer: str(customer), region: en(region), items: list(items), coupon });
const processOrder = (o) => ({ instance: null, fn: 'process-order', args: [o], returnsResult: true });

const cases = [
  ['an EU order', processOrder(order('o-1', 'acme', 'eu', [item('a', 2, 1000), item('b', 1, 250)]))],
  ['a US order with a coupon', processOrder(order('o-2', 'acme', 'us', [item('c', 3, 999)], some(str('SAVE10'))))],
  ['an APAC order', processOrder(order('o-3', 'globex', 'apac', [item('d', 1, 5000)]))],
  ['an empty order (err)', processOrder(order('o-4', 'acme', 'eu', []))],
  ['a zero quantity (err)', processOrder(order('o-5', 'acme', 'eu', [item('e', 0, 100)]))],
  ['an unknown customer (err)', processOrder(order('o-6', '', 'eu', [item('f', 1, 100)]))],
];

// The all-Rust pipeline's answers in Patchbay, the reference for the
// polyglot one.
const rustAnswers = new Map();
function rustAnswer(c) {
  const key = JSON.stringify(c);
  if (!rustAnswers.has(key)) {
    const o = patchbayCall(sample('order-pipeline'), c);
    if (o.kind !== 'returned') throw new Error(`the Rust pipeline did not return: ${JSON.stringify(o)}`);
    rustAnswers.set(key, o.wave);
  }
  return rustAnswers.get(key);
}

for (const name of ['order-pipeline', 'order-pipeline-polyglot']) {
  for (const mode of ['sealed', 'open']) {
    test(`${name} ${mode}: patchbay call, wasmtime and jco answer alike`, async (t) => {
      const project = sample(name);
      const art = exportAndTranspile(project, name, mode);
      t.diagnostic(`${mode} artifact imports ${art.imports.length} interfaces, checked against wasm-tools`);
      for (const [label, c] of cases) {
        await t.test(label, (tt) => {
          const outcomes = runEverywhere(project, art, c);
          tt.diagnostic(`\n${describe(outcomes)}`);
          assertSameReturn(c, outcomes, name === 'order-pipeline' ? undefined : rustAnswer(c));
        });
      }
    });
  }
}
