// Shim over the GNU Scientific Library (GSL 2.7) for Swift.
// Not a stable API: Swift code uses GSL only through Sources/SimCore/GSL.swift.
//
// GSL exposes its generator and minimiser types as mutable global pointers
// (gsl_rng_taus2, gsl_qrng_sobol, gsl_multimin_fminimizer_nmsimplex2, ...), which
// Swift 6 treats as shared mutable state. They are never written after load, so
// we hand them to Swift through static inline accessors instead.
#ifndef PILLARS_CGSL_SHIM_H
#define PILLARS_CGSL_SHIM_H

#define HAVE_INLINE 1
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

static inline const gsl_rng_type *pillars_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *pillars_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_qrng_type *pillars_qrng_sobol(void) { return gsl_qrng_sobol; }
static inline const gsl_multimin_fminimizer_type *pillars_fminimizer_nmsimplex2(void) {
    return gsl_multimin_fminimizer_nmsimplex2;
}

/// Turn GSL's default error handler (abort) off once: errors come back as status codes.
static inline void pillars_gsl_quiet_errors(void) { gsl_set_error_handler_off(); }

#endif
