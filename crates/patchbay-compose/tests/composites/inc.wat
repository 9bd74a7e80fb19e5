(component
  (import "demo:chain/step" (instance $in
    (export "run" (func (param "x" u32) (result u32)))
  ))
  (alias export $in "run" (func $next))
  (core func $next-lowered (canon lower (func $next)))
  (core module $m
    (import "host" "next" (func $next (param i32) (result i32)))
    (func (export "run") (param i32) (result i32)
      local.get 0
      call $next
      i32.const 1
      i32.add))
  (core instance $host (export "next" (func $next-lowered)))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (func $run (param "x" u32) (result u32) (canon lift (core func $i "run")))
  (instance $out (export "run" (func $run)))
  (export "demo:chain/step" (instance $out))
)
