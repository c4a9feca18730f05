;; Hot loops of quantised gradient boosting (see shard-kernel.ts and wasm.ts) in WebAssembly.
;;
;; Each function is the same computation as a JavaScript kernel of histogram.ts / grow.ts, on arrays that live in
;; one shared memory: every pointer below is a BYTE address in that memory. The results are identical to the
;; JavaScript kernels' (packed histogram sums are exact integers; the partition is a permutation fixed by the data),
;; which the tests check. Compiled to kernels-wasm.ts by `npm run wasm` (scripts/build-wasm.mjs).
;;
;; Why: the same scatter-add loop runs ~3.4x faster here than V8's optimised JavaScript (bench/micro/wasm-kernels.ts;
;; no bounds checks, address arithmetic folded into the loads), and WebAssembly is compiled before it first runs, so a fresh process's first
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

  ;; tree.ts's batch descent for boosting (ensemble-kernel.ts predictRows, mode 'boost'): rows [$r0, $r1) of the row-major
  ;; values at $x ($d columns) start from the $k base margins at $base and add, tree by tree in order, the value of the
  ;; leaf they reach to output t % k. Trees in descent layout, node arrays end to end with GLOBAL node indices: tree
  ;; t's root at toff[t], its depth at tdep[t]; a leaf points to itself with threshold +inf. Each step sends a row to
  ;; left + (v > threshold | (v is NaN & nanRight)), as the JavaScript descent, so the same leaves and the same sums.
  (func (export "boostRows")
    (param $x i32) (param $d i32) (param $r0 i32) (param $r1 i32) (param $nT i32) (param $toff i32) (param $tdep i32)
    (param $feat i32) (param $thr i32) (param $left i32) (param $nanr i32) (param $val i32) (param $k i32)
    (param $base i32) (param $out i32)
    (local $i i32) (local $c i32) (local $s0 i32) (local $s1 i32) (local $t i32) (local $root i32) (local $dep i32)
    (local $s i32) (local $n0 i32) (local $n1 i32) (local $n2 i32) (local $n3 i32) (local $x0 i32) (local $x1 i32)
    (local $x2 i32) (local $x3 i32) (local $rowB i32) (local $v f64) (local $o i32)
    (local.set $rowB (i32.shl (local.get $d) (i32.const 3)))
    ;; Base margins.
    (local.set $i (local.get $r0))
    (block $initDone
      (loop $init
        (br_if $initDone (i32.ge_s (local.get $i) (local.get $r1)))
        (local.set $c (i32.const 0))
        (block $cDone
          (loop $cl
            (br_if $cDone (i32.ge_s (local.get $c) (local.get $k)))
            (f64.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $c)) (i32.const 3)))
              (f64.load (i32.add (local.get $base) (i32.shl (local.get $c) (i32.const 3)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $init)))
    ;; Blocks of 256 rows (their values stay in cache while every tree descends them).
    (local.set $s0 (local.get $r0))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_s (local.get $s0) (local.get $r1)))
        (local.set $s1 (select (local.get $r1) (i32.add (local.get $s0) (i32.const 256)) (i32.lt_s (local.get $r1) (i32.add (local.get $s0) (i32.const 256)))))
        (local.set $t (i32.const 0))
        (block $treesDone
          (loop $trees
            (br_if $treesDone (i32.ge_s (local.get $t) (local.get $nT)))
            (local.set $root (i32.load (i32.add (local.get $toff) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $dep (i32.load (i32.add (local.get $tdep) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $c (i32.rem_u (local.get $t) (local.get $k)))
            ;; Four rows at a time.
            (local.set $i (local.get $s0))
            (block $quadDone
              (loop $quad
                (br_if $quadDone (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $s1)))
                (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $rowB))))
                (local.set $x1 (i32.add (local.get $x0) (local.get $rowB)))
                (local.set $x2 (i32.add (local.get $x1) (local.get $rowB)))
                (local.set $x3 (i32.add (local.get $x2) (local.get $rowB)))
                (local.set $n0 (local.get $root))
                (local.set $n1 (local.get $root))
                (local.set $n2 (local.get $root))
                (local.set $n3 (local.get $root))
                (local.set $s (i32.const 0))
                (block $stepsDone
                  (loop $steps
                    (br_if $stepsDone (i32.ge_s (local.get $s) (local.get $dep)))
            (local.set $v (f64.load (i32.add (local.get $x0) (i32.shl (i32.load (i32.add (local.get $feat) (i32.shl (local.get $n0) (i32.const 2)))) (i32.const 3)))))
            (local.set $n0
              (i32.add (i32.load (i32.add (local.get $left) (i32.shl (local.get $n0) (i32.const 2))))
                (i32.or (f64.gt (local.get $v) (f64.load (i32.add (local.get $thr) (i32.shl (local.get $n0) (i32.const 3)))))
                  (i32.and (f64.ne (local.get $v) (local.get $v)) (i32.load (i32.add (local.get $nanr) (i32.shl (local.get $n0) (i32.const 2))))))))
            (local.set $v (f64.load (i32.add (local.get $x1) (i32.shl (i32.load (i32.add (local.get $feat) (i32.shl (local.get $n1) (i32.const 2)))) (i32.const 3)))))
            (local.set $n1
              (i32.add (i32.load (i32.add (local.get $left) (i32.shl (local.get $n1) (i32.const 2))))
                (i32.or (f64.gt (local.get $v) (f64.load (i32.add (local.get $thr) (i32.shl (local.get $n1) (i32.const 3)))))
                  (i32.and (f64.ne (local.get $v) (local.get $v)) (i32.load (i32.add (local.get $nanr) (i32.shl (local.get $n1) (i32.const 2))))))))
            (local.set $v (f64.load (i32.add (local.get $x2) (i32.shl (i32.load (i32.add (local.get $feat) (i32.shl (local.get $n2) (i32.const 2)))) (i32.const 3)))))
            (local.set $n2
              (i32.add (i32.load (i32.add (local.get $left) (i32.shl (local.get $n2) (i32.const 2))))
                (i32.or (f64.gt (local.get $v) (f64.load (i32.add (local.get $thr) (i32.shl (local.get $n2) (i32.const 3)))))
                  (i32.and (f64.ne (local.get $v) (local.get $v)) (i32.load (i32.add (local.get $nanr) (i32.shl (local.get $n2) (i32.const 2))))))))
            (local.set $v (f64.load (i32.add (local.get $x3) (i32.shl (i32.load (i32.add (local.get $feat) (i32.shl (local.get $n3) (i32.const 2)))) (i32.const 3)))))
            (local.set $n3
              (i32.add (i32.load (i32.add (local.get $left) (i32.shl (local.get $n3) (i32.const 2))))
                (i32.or (f64.gt (local.get $v) (f64.load (i32.add (local.get $thr) (i32.shl (local.get $n3) (i32.const 3)))))
                  (i32.and (f64.ne (local.get $v) (local.get $v)) (i32.load (i32.add (local.get $nanr) (i32.shl (local.get $n3) (i32.const 2))))))))
                    (local.set $s (i32.add (local.get $s) (i32.const 1)))
                    (br $steps)))
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $c)) (i32.const 3))))
          (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.load (i32.add (local.get $val) (i32.shl (local.get $n0) (i32.const 3))))))
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $k)) (local.get $c)) (i32.const 3))))
          (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.load (i32.add (local.get $val) (i32.shl (local.get $n1) (i32.const 3))))))
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 2)) (local.get $k)) (local.get $c)) (i32.const 3))))
          (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.load (i32.add (local.get $val) (i32.shl (local.get $n2) (i32.const 3))))))
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 3)) (local.get $k)) (local.get $c)) (i32.const 3))))
          (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.load (i32.add (local.get $val) (i32.shl (local.get $n3) (i32.const 3))))))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $quad)))
            ;; The rest one at a time.
            (block $oneDone
              (loop $one
                (br_if $oneDone (i32.ge_s (local.get $i) (local.get $s1)))
                (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $rowB))))
                (local.set $n0 (local.get $root))
                (local.set $s (i32.const 0))
                (block $stepsDone1
                  (loop $steps1
                    (br_if $stepsDone1 (i32.ge_s (local.get $s) (local.get $dep)))
            (local.set $v (f64.load (i32.add (local.get $x0) (i32.shl (i32.load (i32.add (local.get $feat) (i32.shl (local.get $n0) (i32.const 2)))) (i32.const 3)))))
            (local.set $n0
              (i32.add (i32.load (i32.add (local.get $left) (i32.shl (local.get $n0) (i32.const 2))))
                (i32.or (f64.gt (local.get $v) (f64.load (i32.add (local.get $thr) (i32.shl (local.get $n0) (i32.const 3)))))
                  (i32.and (f64.ne (local.get $v) (local.get $v)) (i32.load (i32.add (local.get $nanr) (i32.shl (local.get $n0) (i32.const 2))))))))
                    (local.set $s (i32.add (local.get $s) (i32.const 1)))
                    (br $steps1)))
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $c)) (i32.const 3))))
          (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.load (i32.add (local.get $val) (i32.shl (local.get $n0) (i32.const 3))))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $one)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $trees)))
        (local.set $s0 (local.get $s1))
        (br $blocks))))

  ;; quantize.ts's packRounded: stochastic rounding and packing of rows [$i0, $i1) of the interleaved gradients at $gh
  ;; into the packed values at $q (the same counter hash, uniforms and clamps, operation for operation).
  (func (export "packRounded")
    (param $gh i32) (param $i0 i32) (param $i1 i32) (param $gInv f64) (param $hInv f64) (param $gL f64) (param $hL f64) (param $P f64) (param $s i32) (param $q i32)
    (local $i i32) (local $z i32) (local $p i32) (local $gi f64) (local $hi f64) (local $gLo f64)
    (local.set $gLo (f64.neg (local.get $gL)))
    (local.set $i (local.get $i0))
    (block $done
      (br_if $done (i32.ge_s (local.get $i) (local.get $i1)))
      (loop $row
        ;; murmur3's 32-bit finaliser of s + i * 0x9e3779b9.
        (local.set $z (i32.add (local.get $s) (i32.mul (local.get $i) (i32.const 0x9e3779b9))))
        (local.set $z (i32.mul (i32.xor (local.get $z) (i32.shr_u (local.get $z) (i32.const 16))) (i32.const 0x85ebca6b)))
        (local.set $z (i32.mul (i32.xor (local.get $z) (i32.shr_u (local.get $z) (i32.const 13))) (i32.const 0xc2b2ae35)))
        (local.set $z (i32.xor (local.get $z) (i32.shr_u (local.get $z) (i32.const 16))))
        (local.set $p (i32.add (local.get $gh) (i32.shl (local.get $i) (i32.const 4))))
        ;; floor(x * inv + (u * 2^-16 + 2^-17)), u one 16-bit half of z.
        (local.set $gi
          (f64.floor
            (f64.add (f64.mul (f64.load (local.get $p)) (local.get $gInv))
              (f64.add (f64.mul (f64.convert_i32_u (i32.and (local.get $z) (i32.const 0xffff))) (f64.const 0x1p-16)) (f64.const 0x1p-17)))))
        (local.set $hi
          (f64.floor
            (f64.add (f64.mul (f64.load offset=8 (local.get $p)) (local.get $hInv))
              (f64.add (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $z) (i32.const 16))) (f64.const 0x1p-16)) (f64.const 0x1p-17)))))
        (f64.store (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add
            (f64.mul (f64.max (local.get $gLo) (f64.min (local.get $gL) (local.get $gi))) (local.get $P))
            (f64.max (f64.const 0) (f64.min (local.get $hL) (local.get $hi)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $row (i32.lt_s (local.get $i) (local.get $i1))))))

  ;; grow.ts's rangeSums for one final range ri[$s..$e): feature $f < 0 (a leaf): [sum g, sum h, 0, 0]; else the
  ;; left then the right rows' sums by the split ($f, $bin, missing left $a), at $out (4 f64). Same order of adds.
  (func (export "rangeSums")
    (param $Bc i32) (param $n i32) (param $ri i32) (param $gh i32) (param $s i32) (param $e i32) (param $f i32) (param $bin i32) (param $a i32) (param $out i32)
    (local $p i32) (local $pe i32) (local $r i32) (local $x i32) (local $t i32) (local $col i32) (local $rf f64) (local $lf f64)
    (local $g f64) (local $h f64) (local $GL f64) (local $HL f64) (local $GR f64) (local $HR f64)
    (local.set $p (i32.add (local.get $ri) (i32.shl (local.get $s) (i32.const 2))))
    (local.set $pe (i32.add (local.get $ri) (i32.shl (local.get $e) (i32.const 2))))
    (if (i32.lt_s (local.get $f) (i32.const 0))
      (then
        (block $done
          (br_if $done (i32.ge_u (local.get $p) (local.get $pe)))
          (loop $rows
            (local.set $x (i32.add (local.get $gh) (i32.shl (i32.load (local.get $p)) (i32.const 4))))
            (local.set $GL (f64.add (local.get $GL) (f64.load (local.get $x))))
            (local.set $HL (f64.add (local.get $HL) (f64.load offset=8 (local.get $x))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br_if $rows (i32.lt_u (local.get $p) (local.get $pe))))))
      (else
        (local.set $t
          (i32.add (select (local.get $bin) (i32.const 254) (i32.lt_s (local.get $bin) (i32.const 254))) (local.get $a)))
        (local.set $col (i32.add (local.get $Bc) (i32.mul (local.get $f) (local.get $n))))
        (block $done
          (br_if $done (i32.ge_u (local.get $p) (local.get $pe)))
          (loop $rows
            (local.set $r (i32.load (local.get $p)))
            (local.set $x
              (i32.shr_u
                (i32.sub (local.get $t) (i32.and (i32.add (i32.load8_u (i32.add (local.get $col) (local.get $r))) (local.get $a)) (i32.const 255)))
                (i32.const 31)))
            (local.set $rf (f64.convert_i32_s (local.get $x)))
            (local.set $lf (f64.convert_i32_s (i32.sub (i32.const 1) (local.get $x))))
            (local.set $x (i32.add (local.get $gh) (i32.shl (local.get $r) (i32.const 4))))
            (local.set $g (f64.load (local.get $x)))
            (local.set $h (f64.load offset=8 (local.get $x)))
            (local.set $GL (f64.add (local.get $GL) (f64.mul (local.get $g) (local.get $lf))))
            (local.set $HL (f64.add (local.get $HL) (f64.mul (local.get $h) (local.get $lf))))
            (local.set $GR (f64.add (local.get $GR) (f64.mul (local.get $g) (local.get $rf))))
            (local.set $HR (f64.add (local.get $HR) (f64.mul (local.get $h) (local.get $rf))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br_if $rows (i32.lt_u (local.get $p) (local.get $pe)))))))
    (f64.store (local.get $out) (local.get $GL))
    (f64.store offset=8 (local.get $out) (local.get $HL))
    (f64.store offset=16 (local.get $out) (local.get $GR))
    (f64.store offset=24 (local.get $out) (local.get $HR)))

  ;; grow.ts's addRangeValues for one final range ri[$s..$e): out[r * $stride + $c] (f64 at $out) += $vl for a leaf
  ;; ($f < 0), else $vl or $vr by the split ($f, $bin, missing left $a).
  (func (export "addRangeValues")
    (param $Bc i32) (param $n i32) (param $ri i32) (param $s i32) (param $e i32) (param $f i32) (param $bin i32) (param $a i32)
    (param $vl f64) (param $vr f64) (param $out i32) (param $stride i32) (param $c i32)
    (local $p i32) (local $pe i32) (local $r i32) (local $x i32) (local $t i32) (local $col i32)
    (local.set $p (i32.add (local.get $ri) (i32.shl (local.get $s) (i32.const 2))))
    (local.set $pe (i32.add (local.get $ri) (i32.shl (local.get $e) (i32.const 2))))
    (local.set $t
      (i32.add (select (local.get $bin) (i32.const 254) (i32.lt_s (local.get $bin) (i32.const 254))) (local.get $a)))
    (local.set $col (i32.add (local.get $Bc) (i32.mul (local.get $f) (local.get $n))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $pe)))
      (loop $rows
        (local.set $r (i32.load (local.get $p)))
        (local.set $x
          (i32.add (local.get $out)
            (i32.shl (i32.add (i32.mul (local.get $r) (local.get $stride)) (local.get $c)) (i32.const 3))))
        (f64.store (local.get $x)
          (f64.add (f64.load (local.get $x))
            (if (result f64) (i32.lt_s (local.get $f) (i32.const 0))
              (then (local.get $vl))
              (else
                (select (local.get $vr) (local.get $vl)
                  (i32.shr_u
                    (i32.sub (local.get $t)
                      (i32.and (i32.add (i32.load8_u (i32.add (local.get $col) (local.get $r))) (local.get $a)) (i32.const 255)))
                    (i32.const 31)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $rows (i32.lt_u (local.get $p) (local.get $pe))))))

  ;; binning.ts's binRows for $rows rows of raw values at $x (f64, $d per row; global rows $r0..): each value's bin is
  ;; the first edge >= it (NaN: 255), found by the grid of binIndex (edges f64 $E at f 256, last edge index i32 $L,
  ;; grid origin f64 $lo and scale f64 $sc, cell starts u8 $S at f (GRID + 1) with GRID = $grid), written row-major
  ;; at $B ($d per row) and column-major at $Bc ($n per feature).
  (func (export "binRows")
    (param $x i32) (param $rows i32) (param $d i32) (param $r0 i32) (param $n i32)
    (param $E i32) (param $L i32) (param $lo i32) (param $sc i32) (param $S i32) (param $grid i32) (param $B i32) (param $Bc i32)
    (local $i i32) (local $f i32) (local $v f64) (local $t f64) (local $b i32) (local $hi i32) (local $mid i32) (local $cell i32)
    (local $px i32) (local $pb i32) (local $pc i32) (local $eo i32) (local $g1 i32) (local $last i32)
    (local.set $g1 (i32.add (local.get $grid) (i32.const 1)))
    (local.set $px (local.get $x))
    (local.set $pb (i32.add (local.get $B) (i32.mul (local.get $r0) (local.get $d))))
    (block $done
      (br_if $done (i32.le_s (local.get $rows) (i32.const 0)))
      (br_if $done (i32.le_s (local.get $d) (i32.const 0)))
      (loop $row
        (local.set $f (i32.const 0))
        (local.set $pc (i32.add (local.get $Bc) (i32.add (local.get $r0) (local.get $i))))
        (loop $feat
          (local.set $v (f64.load (local.get $px)))
          (local.set $b (i32.const 255))
          (if (f64.eq (local.get $v) (local.get $v))
            (then
              (local.set $t
                (f64.mul
                  (f64.sub (local.get $v) (f64.load (i32.add (local.get $lo) (i32.shl (local.get $f) (i32.const 3)))))
                  (f64.load (i32.add (local.get $sc) (i32.shl (local.get $f) (i32.const 3))))))
              (local.set $cell
                (i32.add (i32.mul (local.get $f) (local.get $g1))
                  (if (result i32) (f64.gt (local.get $t) (f64.const 0))
                    (then
                      (if (result i32) (f64.lt (local.get $t) (f64.convert_i32_s (local.get $grid)))
                        (then (i32.trunc_f64_s (f64.floor (local.get $t))))
                        (else (i32.sub (local.get $grid) (i32.const 1)))))
                    (else (i32.const 0)))))
              (local.set $b (i32.load8_u (i32.add (local.get $S) (local.get $cell))))
              (local.set $hi (i32.load8_u offset=1 (i32.add (local.get $S) (local.get $cell))))
              (local.set $last (i32.load (i32.add (local.get $L) (i32.shl (local.get $f) (i32.const 2)))))
              (if (i32.gt_s (local.get $hi) (local.get $last)) (then (local.set $hi (local.get $last))))
              (local.set $eo (i32.add (local.get $E) (i32.shl (local.get $f) (i32.const 11))))
              (block $found
                (loop $search
                  (br_if $found (i32.ge_s (local.get $b) (local.get $hi)))
                  (local.set $mid (i32.shr_s (i32.add (local.get $b) (local.get $hi)) (i32.const 1)))
                  (if (f64.le (local.get $v) (f64.load (i32.add (local.get $eo) (i32.shl (local.get $mid) (i32.const 3)))))
                    (then (local.set $hi (local.get $mid)))
                    (else (local.set $b (i32.add (local.get $mid) (i32.const 1)))))
                  (br $search)))))
          (i32.store8 (local.get $pb) (local.get $b))
          (i32.store8 (local.get $pc) (local.get $b))
          (local.set $px (i32.add (local.get $px) (i32.const 8)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 1)))
          (local.set $pc (i32.add (local.get $pc) (local.get $n)))
          (local.set $f (i32.add (local.get $f) (i32.const 1)))
          (br_if $feat (i32.lt_s (local.get $f) (local.get $d))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $row (i32.lt_s (local.get $i) (local.get $rows))))))

;; objectives.ts's binary logistic gradients for rows [$i0, $i1): p = 1 / (1 + e^-m), g = w (p - y),
  ;; h = w max(p (1 - p), 1e-16), into $g, $h and interleaved into $gh (as gradTask), with [max |g|, max |h|] at $out.
  ;; Two rows at a time in f64x2 lanes (e^-m by $exp2 where both lanes allow it, else by $exp lane by lane): every
  ;; lane is the same IEEE operations as the scalar row, so the gradients are the same bits.
  (func (export "gradBinary")
    (param $m i32) (param $y i32) (param $w i32) (param $g i32) (param $h i32) (param $gh i32) (param $i0 i32) (param $i1 i32) (param $out i32)
    (local $i i32) (local $p f64) (local $wi f64) (local $gv f64) (local $hv f64) (local $gm f64) (local $hm f64) (local $o i32)
    (local $x2 v128) (local $ax2 v128) (local $p2 v128) (local $w2 v128) (local $g2 v128) (local $h2 v128) (local $gm2 v128) (local $hm2 v128)
    (local.set $i (local.get $i0))
    (block $pairs
      (loop $pair
        (br_if $pairs (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $i1)))
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $x2 (f64x2.neg (v128.load (i32.add (local.get $m) (local.get $o)))))
        (local.set $ax2 (f64x2.abs (local.get $x2)))
        (if (i32.and
              (i64x2.all_true (v128.and
                (f64x2.ge (local.get $ax2) (v128.const f64x2 0x1p-28 0x1p-28))
                (f64x2.lt (local.get $ax2) (v128.const f64x2 700 700))))
              (i32.eqz (v128.any_true (f64x2.eq (local.get $x2) (v128.const f64x2 1 1)))))
          (then (local.set $x2 (call $exp2 (local.get $x2))))
          (else
            (local.set $x2
              (f64x2.replace_lane 1
                (f64x2.splat (call $exp (f64x2.extract_lane 0 (local.get $x2))))
                (call $exp (f64x2.extract_lane 1 (local.get $x2)))))))
        (local.set $p2 (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $x2))))
        (local.set $w2 (v128.load (i32.add (local.get $w) (local.get $o))))
        (local.set $g2
          (f64x2.mul (local.get $w2)
            (f64x2.sub (local.get $p2) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2))))))))
        (local.set $h2
          (f64x2.mul (local.get $w2)
            (f64x2.max (f64x2.mul (local.get $p2) (f64x2.sub (v128.const f64x2 1 1) (local.get $p2))) (v128.const f64x2 1e-16 1e-16))))
        (v128.store (i32.add (local.get $g) (local.get $o)) (local.get $g2))
        (v128.store (i32.add (local.get $h) (local.get $o)) (local.get $h2))
        (v128.store (i32.add (local.get $gh) (i32.shl (local.get $i) (i32.const 4)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $g2) (local.get $h2)))
        (v128.store offset=16 (i32.add (local.get $gh) (i32.shl (local.get $i) (i32.const 4)))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $g2) (local.get $h2)))
        ;; Per-lane largest |g| and |h| (a NaN never compares greater).
        (local.set $g2 (f64x2.abs (local.get $g2)))
        (local.set $h2 (f64x2.abs (local.get $h2)))
        (local.set $gm2 (v128.bitselect (local.get $g2) (local.get $gm2) (f64x2.gt (local.get $g2) (local.get $gm2))))
        (local.set $hm2 (v128.bitselect (local.get $h2) (local.get $hm2) (f64x2.gt (local.get $h2) (local.get $hm2))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    (local.set $gm (f64x2.extract_lane 0 (local.get $gm2)))
    (local.set $gm (select (f64x2.extract_lane 1 (local.get $gm2)) (local.get $gm) (f64.gt (f64x2.extract_lane 1 (local.get $gm2)) (local.get $gm))))
    (local.set $hm (f64x2.extract_lane 0 (local.get $hm2)))
    (local.set $hm (select (f64x2.extract_lane 1 (local.get $hm2)) (local.get $hm) (f64.gt (f64x2.extract_lane 1 (local.get $hm2)) (local.get $hm))))
    ;; The last row of an odd count.
    (block $done
      (br_if $done (i32.ge_s (local.get $i) (local.get $i1)))
      (loop $row
        (local.set $o (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p
          (f64.div (f64.const 1)
            (f64.add (f64.const 1) (call $exp (f64.neg (f64.load (i32.add (local.get $m) (local.get $o))))))))
        (local.set $wi (f64.load (i32.add (local.get $w) (local.get $o))))
        (local.set $gv
          (f64.mul (local.get $wi)
            (f64.sub (local.get $p) (f64.convert_i32_s (i32.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2))))))))
        (local.set $hv
          (f64.mul (local.get $wi) (f64.max (f64.mul (local.get $p) (f64.sub (f64.const 1) (local.get $p))) (f64.const 1e-16))))
        (f64.store (i32.add (local.get $g) (local.get $o)) (local.get $gv))
        (f64.store (i32.add (local.get $h) (local.get $o)) (local.get $hv))
        (f64.store (i32.add (local.get $gh) (i32.shl (local.get $i) (i32.const 4))) (local.get $gv))
        (f64.store offset=8 (i32.add (local.get $gh) (i32.shl (local.get $i) (i32.const 4))) (local.get $hv))
        (local.set $gm (select (f64.abs (local.get $gv)) (local.get $gm) (f64.gt (f64.abs (local.get $gv)) (local.get $gm))))
        (local.set $hm (select (f64.abs (local.get $hv)) (local.get $hm) (f64.gt (f64.abs (local.get $hv)) (local.get $hm))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $row (i32.lt_s (local.get $i) (local.get $i1)))))
    (f64.store (local.get $out) (local.get $gm))
    (f64.store offset=8 (local.get $out) (local.get $hm)))

  ;; $exp on two lanes at once, for lanes with 2^-28 <= |x| < 700 and x != 1 only (the caller checks): the same
  ;; operations as $exp's lane by lane. The reduction's k is 0 for |x| <= ln2 / 2 and +-1 below 1.5 ln2 (the high-word
  ;; tests of $exp, as tests on |x|), else trunc(x / ln2 +- 1/2); hi = x - k ln2hi and lo = k ln2lo are then exactly
  ;; $exp's values in every branch (k = 0: hi = x, lo = +0, and 1 - ((lo - xc / (2 - c)) - hi) equals its
  ;; 1 - (xc / (c - 2) - x)), and 2^k a plain exponent (|k| <= 1010).
  (func $exp2 (param $x v128) (result v128)
    (local $ax v128) (local $sign v128) (local $t v128) (local $hi v128) (local $lo v128) (local $r v128) (local $s v128) (local $c v128) (local $y v128)
    (local.set $ax (f64x2.abs (local.get $x)))
    (local.set $sign (v128.and (local.get $x) (v128.const i64x2 0x8000000000000000 0x8000000000000000)))
    (local.set $t
      (f64x2.convert_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero
        (f64x2.add (f64x2.mul (v128.const f64x2 1.44269504088896338700e+00 1.44269504088896338700e+00) (local.get $x))
          (v128.or (local.get $sign) (v128.const f64x2 0.5 0.5))))))
    ;; hx < 0x3FF0A2B2: k = +-1; hx <= 0x3fd62e42: k = 0.
    (local.set $t
      (v128.bitselect (v128.or (local.get $sign) (v128.const f64x2 1 1)) (local.get $t)
        (f64x2.lt (local.get $ax) (v128.const i64x2 0x3FF0A2B200000000 0x3FF0A2B200000000))))
    (local.set $t
      (v128.andnot (local.get $t) (f64x2.lt (local.get $ax) (v128.const i64x2 0x3fd62e4300000000 0x3fd62e4300000000))))
    (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $t) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
    (local.set $lo (f64x2.mul (local.get $t) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
    (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
    (local.set $s (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $c (f64x2.sub (local.get $r)
      (f64x2.mul (local.get $s)
        (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01)
          (f64x2.mul (local.get $s)
            (f64x2.add (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03)
              (f64x2.mul (local.get $s)
                (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05)
                  (f64x2.mul (local.get $s)
                    (f64x2.add (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06)
                      (f64x2.mul (local.get $s) (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08))))))))))))
    (local.set $y
      (f64x2.sub (v128.const f64x2 1 1)
        (f64x2.sub
          (f64x2.sub (local.get $lo)
            (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (v128.const f64x2 2 2) (local.get $c))))
          (local.get $hi))))
    (f64x2.mul (local.get $y)
      (i64x2.shl
        (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $t))) (v128.const i64x2 1023 1023))
        (i32.const 52))))

  ;; e^x, bit for bit V8's Math.exp (src/base/ieee754.cc: fdlibm's __ieee754_exp with exp(1) = Math.E), so that
  ;; the gradients below equal the JavaScript objective's. The test compares it with Math.exp on millions of inputs.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $hx i32) (local $xsb i32) (local $k i32) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64) (local $twopk f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $xsb (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    ;; |x| >= 709.78: NaN, infinities, overflow (inf), underflow (0).
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862E42))
      (then
        (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000))
          (then
            (if (i64.ne (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0x000fffffffffffff)) (i64.const 0))
              (then (return (f64.add (local.get $x) (local.get $x)))))
            (return (select (local.get $x) (f64.const 0) (i32.eqz (local.get $xsb))))))
        (if (f64.gt (local.get $x) (f64.const 7.09782712893383973096e+02)) (then (return (f64.const inf))))
        (if (f64.lt (local.get $x) (f64.const -7.45133219101941108420e+02)) (then (return (f64.const 0))))))
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $hx) (i32.const 0x3FF0A2B2))
          (then
            ;; V8 returns Math.E for exp(1) (the reduction below gets its last bit wrong).
            (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 2.718281828459045))))
            (if (local.get $xsb)
              (then
                (local.set $hi (f64.add (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const -1.90821492927058770002e-10))
                (local.set $k (i32.const -1)))
              (else
                (local.set $hi (f64.sub (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const 1.90821492927058770002e-10))
                (local.set $k (i32.const 1)))))
          (else
            (local.set $k (i32.trunc_f64_s (f64.add (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x))
              (select (f64.const -0.5) (f64.const 0.5) (local.get $xsb)))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 6.93147180369123816490e-01))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 1.90821492927058770002e-10)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000))
          (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x)
      (f64.mul (local.get $t)
        (f64.add (f64.const 1.66666666666666019037e-01)
          (f64.mul (local.get $t)
            (f64.add (f64.const -2.77777777770155933842e-03)
              (f64.mul (local.get $t)
                (f64.add (f64.const 6.61375632143793436117e-05)
                  (f64.mul (local.get $t)
                    (f64.add (f64.const -1.65339022054652515390e-06)
                      (f64.mul (local.get $t) (f64.const 4.13813679705723846039e-08))))))))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (f64.const 1) (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2))) (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1) (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021))
      (then
        (if (i32.eq (local.get $k) (i32.const 1024))
          (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 0x1p1023)))))
        (return (f64.mul (local.get $y)
          (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (i32.const 0x3ff00000) (i32.shl (local.get $k) (i32.const 20)))) (i64.const 32)))))))
    (f64.mul
      (f64.mul (local.get $y)
        (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (i32.const 0x3ff00000) (i32.shl (i32.add (local.get $k) (i32.const 1000)) (i32.const 20)))) (i64.const 32))))
      (f64.const 0x1p-1000)))
)
