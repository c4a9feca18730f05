;; Hot loops of quantised gradient boosting (see shard-kernel.ts and wasm.ts) in WebAssembly.
;;
;; Each function is the same computation as a JavaScript kernel of histogram.ts / grow.ts, on arrays that live in
;; one shared memory: every pointer below is a BYTE address in that memory. The results are identical to the
;; JavaScript kernels' (packed histogram sums are exact integers; the partition is a permutation fixed by the data),
;; which the tests check. Compiled to kernels-wasm.ts by `npm run wasm` (scripts/build-wasm.mjs).
;;
;; Why: the same scatter-add loop runs 2-2.5x faster here than V8's optimised JavaScript (no bounds checks, address
;; arithmetic folded into the loads), and WebAssembly is compiled before it first runs, so a fresh process's first
;; fit does not run these loops unoptimised.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Packed histogram at $h (f64, 256 per feature; feature f at $h + 2048 f) += q[r] at bin B[r d + f], for the rows
  ;; r = ri[k] (Int32 at $ri), k in [$k0, $k1), and every feature f < $d. Unrolled by four features.
  (func (export "histRows")
    (param $B i32) (param $d i32) (param $ri i32) (param $k0 i32) (param $k1 i32) (param $q i32) (param $h i32)
    (local $k i32) (local $r i32) (local $v f64) (local $p i32) (local $pe i32) (local $p4 i32) (local $hp i32) (local $i i32)
    (local.set $k (local.get $k0))
    (block $done
      (br_if $done (i32.ge_s (local.get $k) (local.get $k1)))
      (loop $row
        (local.set $r (i32.load (i32.add (local.get $ri) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $v (f64.load (i32.add (local.get $q) (i32.shl (local.get $r) (i32.const 3)))))
        ;; $p walks the row's bins, $hp the features' histograms.
        (local.set $p (i32.add (local.get $B) (i32.mul (local.get $r) (local.get $d))))
        (local.set $pe (i32.add (local.get $p) (local.get $d)))
        (local.set $p4 (i32.add (local.get $p) (i32.and (local.get $d) (i32.const -4))))
        (local.set $hp (local.get $h))
        (block $b4
          (br_if $b4 (i32.ge_u (local.get $p) (local.get $p4)))
          (loop $f4
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u (local.get $p)) (i32.const 3))))
            (f64.store (local.get $i) (f64.add (f64.load (local.get $i)) (local.get $v)))
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u offset=1 (local.get $p)) (i32.const 3))))
            (f64.store offset=2048 (local.get $i) (f64.add (f64.load offset=2048 (local.get $i)) (local.get $v)))
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u offset=2 (local.get $p)) (i32.const 3))))
            (f64.store offset=4096 (local.get $i) (f64.add (f64.load offset=4096 (local.get $i)) (local.get $v)))
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u offset=3 (local.get $p)) (i32.const 3))))
            (f64.store offset=6144 (local.get $i) (f64.add (f64.load offset=6144 (local.get $i)) (local.get $v)))
            (local.set $hp (i32.add (local.get $hp) (i32.const 8192)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br_if $f4 (i32.lt_u (local.get $p) (local.get $p4)))))
        (block $b1
          (br_if $b1 (i32.ge_u (local.get $p) (local.get $pe)))
          (loop $f1
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u (local.get $p)) (i32.const 3))))
            (f64.store (local.get $i) (f64.add (f64.load (local.get $i)) (local.get $v)))
            (local.set $hp (i32.add (local.get $hp) (i32.const 2048)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $f1 (i32.lt_u (local.get $p) (local.get $pe)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $row (i32.lt_s (local.get $k) (local.get $k1))))))

  ;; The same for the rows r in [$r0, $r1) themselves (no row index) and the features f in [$f0, $f1) only (the
  ;; caller walks the features in blocks whose histograms stay in the L1 cache).
  (func (export "histRange")
    (param $B i32) (param $d i32) (param $r0 i32) (param $r1 i32) (param $q i32) (param $h i32) (param $f0 i32) (param $f1 i32)
    (local $r i32) (local $v f64) (local $p i32) (local $pe i32) (local $p4 i32) (local $hp i32) (local $h0 i32) (local $i i32)
    (local $n4 i32)
    (local.set $r (local.get $r0))
    (local.set $h0 (i32.add (local.get $h) (i32.shl (local.get $f0) (i32.const 11))))
    (local.set $n4 (i32.and (i32.sub (local.get $f1) (local.get $f0)) (i32.const -4)))
    (block $done
      (br_if $done (i32.ge_s (local.get $r) (local.get $r1)))
      (loop $row
        (local.set $v (f64.load (i32.add (local.get $q) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $p (i32.add (i32.add (local.get $B) (i32.mul (local.get $r) (local.get $d))) (local.get $f0)))
        (local.set $pe (i32.add (local.get $p) (i32.sub (local.get $f1) (local.get $f0))))
        (local.set $p4 (i32.add (local.get $p) (local.get $n4)))
        (local.set $hp (local.get $h0))
        (block $b4
          (br_if $b4 (i32.ge_u (local.get $p) (local.get $p4)))
          (loop $f4
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u (local.get $p)) (i32.const 3))))
            (f64.store (local.get $i) (f64.add (f64.load (local.get $i)) (local.get $v)))
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u offset=1 (local.get $p)) (i32.const 3))))
            (f64.store offset=2048 (local.get $i) (f64.add (f64.load offset=2048 (local.get $i)) (local.get $v)))
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u offset=2 (local.get $p)) (i32.const 3))))
            (f64.store offset=4096 (local.get $i) (f64.add (f64.load offset=4096 (local.get $i)) (local.get $v)))
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u offset=3 (local.get $p)) (i32.const 3))))
            (f64.store offset=6144 (local.get $i) (f64.add (f64.load offset=6144 (local.get $i)) (local.get $v)))
            (local.set $hp (i32.add (local.get $hp) (i32.const 8192)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br_if $f4 (i32.lt_u (local.get $p) (local.get $p4)))))
        (block $b1
          (br_if $b1 (i32.ge_u (local.get $p) (local.get $pe)))
          (loop $f1
            (local.set $i (i32.add (local.get $hp) (i32.shl (i32.load8_u (local.get $p)) (i32.const 3))))
            (f64.store (local.get $i) (f64.add (f64.load (local.get $i)) (local.get $v)))
            (local.set $hp (i32.add (local.get $hp) (i32.const 2048)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $f1 (i32.lt_u (local.get $p) (local.get $pe)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $row (i32.lt_s (local.get $r) (local.get $r1))))))

  ;; The same for the features feats[0..$nf) (Int32 at $fe) of the rows ri[k] (or, when $ri < 0, the rows k
  ;; themselves), k in [$k0, $k1): column subsampling.
  (func (export "histFeats")
    (param $B i32) (param $d i32) (param $ri i32) (param $k0 i32) (param $k1 i32) (param $q i32) (param $fe i32) (param $nf i32) (param $h i32)
    (local $k i32) (local $r i32) (local $v f64) (local $base i32) (local $fp i32) (local $fend i32) (local $f i32) (local $i i32)
    (local.set $k (local.get $k0))
    (local.set $fend (i32.add (local.get $fe) (i32.shl (local.get $nf) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_s (local.get $k) (local.get $k1)))
      (br_if $done (i32.le_s (local.get $nf) (i32.const 0)))
      (loop $row
        (local.set $r
          (if (result i32) (i32.lt_s (local.get $ri) (i32.const 0))
            (then (local.get $k))
            (else (i32.load (i32.add (local.get $ri) (i32.shl (local.get $k) (i32.const 2)))))))
        (local.set $v (f64.load (i32.add (local.get $q) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $base (i32.add (local.get $B) (i32.mul (local.get $r) (local.get $d))))
        (local.set $fp (local.get $fe))
        (loop $feat
          (local.set $f (i32.load (local.get $fp)))
          (local.set $i
            (i32.add (local.get $h)
              (i32.shl
                (i32.or (i32.shl (local.get $f) (i32.const 8)) (i32.load8_u (i32.add (local.get $base) (local.get $f))))
                (i32.const 3))))
          (f64.store (local.get $i) (f64.add (f64.load (local.get $i)) (local.get $v)))
          (local.set $fp (i32.add (local.get $fp) (i32.const 4)))
          (br_if $feat (i32.lt_u (local.get $fp) (local.get $fend))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $row (i32.lt_s (local.get $k) (local.get $k1))))))

  ;; Stable partition of ri[$s..$e) by the split (feature $f, bin $bin, missing values left when $a = 1) on the
  ;; column-major bins Bc (column f at $Bc + f n): left rows first, then the right ones (gathered in $scratch).
  ;; Returns the first right position. Branch-free, as grow.ts's partition: row r goes right iff
  ;; ((B + a) & 255) > min(bin, 254) + a.
  (func (export "partition")
    (param $Bc i32) (param $n i32) (param $ri i32) (param $s i32) (param $e i32) (param $f i32) (param $bin i32) (param $a i32) (param $scratch i32)
    (result i32)
    (local $t i32) (local $col i32) (local $p i32) (local $pe i32) (local $w i32) (local $x i32) (local $r i32) (local $right i32)
    (local.set $t
      (i32.add
        (select (local.get $bin) (i32.const 254) (i32.lt_s (local.get $bin) (i32.const 254)))
        (local.get $a)))
    (local.set $col (i32.add (local.get $Bc) (i32.mul (local.get $f) (local.get $n))))
    (local.set $p (i32.add (local.get $ri) (i32.shl (local.get $s) (i32.const 2))))
    (local.set $pe (i32.add (local.get $ri) (i32.shl (local.get $e) (i32.const 2))))
    ;; $w: next left write address; $x: next right write address in scratch.
    (local.set $w (local.get $p))
    (local.set $x (local.get $scratch))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $pe)))
      (loop $rows
        (local.set $r (i32.load (local.get $p)))
        (local.set $right
          (i32.shr_u
            (i32.sub (local.get $t)
              (i32.and (i32.add (i32.load8_u (i32.add (local.get $col) (local.get $r))) (local.get $a)) (i32.const 255)))
            (i32.const 31)))
        (i32.store (local.get $w) (local.get $r))
        (i32.store (local.get $x) (local.get $r))
        (local.set $w (i32.add (local.get $w) (i32.shl (i32.xor (local.get $right) (i32.const 1)) (i32.const 2))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $right) (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $rows (i32.lt_u (local.get $p) (local.get $pe)))))
    (memory.copy (local.get $w) (local.get $scratch) (i32.sub (local.get $x) (local.get $scratch)))
    (i32.shr_u (i32.sub (local.get $w) (local.get $ri)) (i32.const 2)))

  ;; f64 arrays: dst[i] += src[i] (addF64) or dst[i] -= src[i] (subF64) for i < $len (even), two at a time.
  (func (export "addF64") (param $dst i32) (param $src i32) (param $len i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (loop $l
        (v128.store (local.get $dst) (f64x2.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $l (i32.lt_u (local.get $dst) (local.get $end))))))

  (func (export "subF64") (param $dst i32) (param $src i32) (param $len i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (loop $l
        (v128.store (local.get $dst) (f64x2.sub (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $l (i32.lt_u (local.get $dst) (local.get $end))))))
)
