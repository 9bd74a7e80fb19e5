;; Imports `test:demo/api@0.2.0` with `ping: func(n: string) -> u32`.
(component
  (import "test:demo/api@0.2.0" (instance $api
    (export "ping" (func (param "n" string) (result u32)))))
  (alias export $api "ping" (func $ping))
  (export "run" (func $ping)))
