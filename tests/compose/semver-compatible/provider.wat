;; Exports `test:demo/api@0.2.6` with `ping: func(n: u32) -> u32`.
(component
  (core module $m
    (func (export "ping") (param i32) (result i32) local.get 0))
  (core instance $i (instantiate $m))
  (func $ping (param "n" u32) (result u32) (canon lift (core func $i "ping")))
  (instance $api (export "ping" (func $ping)))
  (export "test:demo/api@0.2.6" (instance $api)))
