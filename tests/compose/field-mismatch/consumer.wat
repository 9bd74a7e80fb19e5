;; Imports `test:shapes/canvas@1.0.0` expecting `point` to be `{x: u32, z: u32}`.
(component
  (import "test:shapes/canvas@1.0.0" (instance $canvas
    (type $point (record (field "x" u32) (field "z" u32)))
    (export "point" (type $p (eq $point)))
    (export "draw" (func (param "p" $p)))))
  (alias export $canvas "draw" (func $draw))
  (export "render" (func $draw)))
