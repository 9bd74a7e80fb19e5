;; Exports `test:demo/api@1.0.0` "é" `ping: func(n: u32) -> u32`.
(component
  (core module $m
    (func (export "ping") (param i32) (result i32) local.get 0))
  (core instance $i (instantiate $m))
  (func $ping (param "n" u32) (result u32) (canon lift (core func $i "ping")))
  (instance $api (export "pa:b/c@1.0.0-rc.1+build" (func $ping)))
  (export "test:demo/api@1.0.0" (instance $api)))
