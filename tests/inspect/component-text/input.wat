;; A component written in WebAssembly text: exports `test:calc/math@1.0.0`.
(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.add))
  (core instance $i (instantiate $m))
  (func $add (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (instance $math (export "add" (func $add)))
  (export "test:calc/math@1.0.0" (instance $math)))
