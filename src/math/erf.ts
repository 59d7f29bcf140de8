/**
 * The error function in double precision (errors below 1 ulp of a float64), following
 * Sun's fdlibm s_erf.c (the algorithm of FreeBSD msun and musl): rational approximations on
 * [0, 0.84375), [0.84375, 1.25), [1.25, 1/0.35) and [1/0.35, 28). The coefficients are
 * fdlibm's; they are exact float64 values.
 *
 * `erfc` is exported as well because 1 + erf(x) cancels for x << 0 (the exact GELU needs
 * 0.5 * x * erfc(-x / sqrt(2)) to stay accurate there).
 */

const ERX = 8.45062911510467529297e-01; // erf(1) rounded to 24 bits, the centre of [0.84375, 1.25)
const EFX8 = 1.02703333676410069053e+00; // 8 * (2 / sqrt(pi) - 1)

// erf(x) = x + x * P(x^2) / Q(x^2) on [0, 0.84375)
const PP = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
  -5.77027029648944159157e-03, -2.37630166566501626084e-05];
const QQ = [1, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03,
  1.32494738004321644526e-04, -3.96022827877536812320e-06];

// erf(x) = ERX + P(s) / Q(s), s = |x| - 1, on [0.84375, 1.25)
const PA = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
  3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
  -2.16637559486879084300e-03];
const QA = [1, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02,
  1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];

// erfc(x) = exp(-x^2 - 0.5625 + R(s) / S(s)) / x, s = 1 / x^2, on [1.25, 1/0.35)
const RA = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01,
  -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02,
  -8.12874355063065934246e+01, -9.81432934416914548592e+00];
const SA = [1, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02,
  6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02,
  6.57024977031928170135e+00, -6.04244152148580987438e-02];

// ... and on [1/0.35, 28)
const RB = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01,
  -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03,
  -4.83519191608651397019e+02];
const SB = [1, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03,
  3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02,
  -2.24409524465858183362e+01];

/** c[0] + c[1] z + c[2] z^2 + ... by Horner's rule. */
function poly(c: readonly number[], z: number): number {
  let r = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) r = r * z + c[i];
  return r;
}

// Clearing the low 32 bits of a float64 gives a value whose square is exact.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // little-endian: word 0

function truncateLowWord(x: number): number {
  f64[0] = x;
  u32[LOW_WORD] = 0;
  return f64[0];
}

/** erfc(a) for a = |x| in [0.84375, 28): the tail the two middle/outer intervals share. */
function erfcTail(a: number): number {
  if (a < 1.25) return 1 - ERX - poly(PA, a - 1) / poly(QA, a - 1);
  const s = 1 / (a * a);
  const rs = a < 1 / 0.35 ? poly(RA, s) / poly(SA, s) : poly(RB, s) / poly(SB, s);
  const z = truncateLowWord(a);
  // exp(-a^2 - 0.5625 + R/S) split so that the large part -z^2 is exact.
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + rs)) / a;
}

/** The error function, accurate to double precision; erf(NaN) = NaN, erf(±Inf) = ±1. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -28) return (8 * x + EFX8 * x) / 8; // x * 2/sqrt(pi), without underflow
    const z = x * x;
    return x + x * (poly(PP, z) / poly(QQ, z));
  }
  let y: number;
  if (a < 1.25) y = ERX + poly(PA, a - 1) / poly(QA, a - 1);
  else if (a < 6) y = 1 - erfcTail(a);
  else y = 1; // erf(6) = 1 - 2e-17, which rounds to 1
  return x < 0 ? -y : y;
}

/** The complementary error function 1 - erf(x), accurate where that difference is tiny. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = poly(PP, z) / poly(QQ, z);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x - 0.5 + x * y);
  }
  if (a < 28) {
    const tail = erfcTail(a);
    return x < 0 ? 2 - tail : tail;
  }
  return x < 0 ? 2 : 0; // erfc(28) ~ 6e-343 underflows to 0
}
