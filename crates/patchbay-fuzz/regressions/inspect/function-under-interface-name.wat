;; A component exporting a function under an interface name. The validator
;; accepts it; wit-parser 0.258's decoder panicked on it (unreachable!) until
;; patchbay-inspect refused it before decoding. Found by the compose target:
;; `[[exports]] from = "guest.spin", as = "patchbay:kv/store"`.
(component
  (core module $m (func (export "f")))
  (core instance $i (instantiate $m))
  (func $f (canon lift (core func $i "f")))
  (export "patchbay:kv/store" (func $f))
)
