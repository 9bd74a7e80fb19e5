// samples/order-pipeline outside Patchbay: four components behind one
// export, records, an enum, an option, a variant error and a resource
// crossing an inner wire.
import test from 'node:test';
import { assertSameReturn, describe, exportAndTranspile, runEverywhere, sample } from './lib/matrix.js';
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

for (const mode of ['sealed', 'open']) {
  test(`order-pipeline ${mode}: patchbay call, wasmtime and jco answer alike`, async (t) => {
    const project = sample('order-pipeline');
    const art = exportAndTranspile(project, 'order-pipeline', mode);
    t.diagnostic(`${mode} artifact imports ${art.imports.length} interfaces, checked against wasm-tools`);
    for (const [name, c] of cases) {
      await t.test(name, (tt) => {
        const outcomes = runEverywhere(project, art, c);
        tt.diagnostic(`\n${describe(outcomes)}`);
        assertSameReturn(c, outcomes);
      });
    }
  });
}
