(component
  (func $f (param "x" u32)
