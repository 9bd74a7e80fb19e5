"""`validator-py`: exports `patchbay:orders/validate`, in Python, built with
componentize-py. It answers exactly as the Rust `validator`
(samples/components/validator). Checks, in order:

1. no items                         -> `empty-order`
2. an item with quantity 0          -> `invalid-quantity(sku)` (first such item)
3. customer is empty or `"blocked"` -> `unknown-customer(customer)`
"""

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import types


class Validate(exports.Validate):
    def check(self, o: types.Order) -> None:
        if not o.items:
            raise Err(types.OrderError_EmptyOrder())
        for item in o.items:
            if item.quantity == 0:
                raise Err(types.OrderError_InvalidQuantity(item.sku))
        if o.customer == "" or o.customer == "blocked":
            raise Err(types.OrderError_UnknownCustomer(o.customer))
