//! `validator`: exports `patchbay:orders/validate`.
//!
//! Checks, in order:
//! 1. no items                         -> `empty-order`
//! 2. an item with quantity 0          -> `invalid-quantity(sku)` (first such item)
//! 3. customer is empty or `"blocked"` -> `unknown-customer(customer)`

wit_bindgen::generate!({
    path: "../../../wit/orders",
    world: "validator",
});

use exports::patchbay::orders::validate::Guest;
use patchbay::orders::types::{Order, OrderError};

struct Validator;

impl Guest for Validator {
    fn check(o: Order) -> Result<(), OrderError> {
        if o.items.is_empty() {
            return Err(OrderError::EmptyOrder);
        }
        if let Some(item) = o.items.into_iter().find(|item| item.quantity == 0) {
            return Err(OrderError::InvalidQuantity(item.sku));
        }
        if o.customer.is_empty() || o.customer == "blocked" {
            return Err(OrderError::UnknownCustomer(o.customer));
        }
        Ok(())
    }
}

export!(Validator);
