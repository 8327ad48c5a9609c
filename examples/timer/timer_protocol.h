/* timer_protocol.h — the ppcall labels between the timer driver and its clients. */
#ifndef TIMER_PROTOCOL_H
#define TIMER_PROTOCOL_H
enum { TIMER_NOW = 1, TIMER_AFTER = 2 };      /* requests; AFTER takes milliseconds in MR 0 */
enum { TIMER_OK = 0, TIMER_FULL = 1, TIMER_BAD = 2 }; /* answers; NOW answers ns in MR 0 */
#endif
