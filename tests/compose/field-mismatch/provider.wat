;; Exports `test:shapes/canvas@1.0.0` where `point` is `{x: u32, y: u32}`.
(component
  (type $point (record (field "x" u32) (field "y" u32)))
  (core module $m (func (export "draw") (param i32 i32)))
  (core instance $i (instantiate $m))
  (func $draw (param "p" $point) (canon lift (core func $i "draw")))
  (instance $canvas
    (export "point" (type $point))
    (export "draw" (func $draw)))
  (export "test:shapes/canvas@1.0.0" (instance $canvas)))
