/* sel4/gen_config.h — libsel4's configuration names, with the values a Microkit SDK has for every
 * board (its build_sdk.py leaves libsel4's options at their defaults but for thread-local
 * storage): invocations are inline functions in the headers, no invocation errors printed. */
#pragma once

#define CONFIG_LIB_SEL4_INLINE_INVOCATIONS  1
#define CONFIG_LIB_SEL4_FUNCTION_ATTRIBUTE  inline
#define CONFIG_LIB_SEL4_PRINT_INVOCATION_ERRORS  0
