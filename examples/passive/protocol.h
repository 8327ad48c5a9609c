/* The counter service's calls: the label says which, MR0 carries the argument or the result. */
#ifndef PASSIVE_PROTOCOL_H
#define PASSIVE_PROTOCOL_H

#define COUNTER_ADD 1   /* MR0: amount to add to the caller's counter; reply MR0: its new value */
#define COUNTER_TOTAL 2 /* reply MR0: the sum over all callers, MR1: calls served so far */
#define COUNTER_ERROR 0xee /* reply label for an unknown request */

#define SERVER_CHANNEL 0 /* each client's end of its channel to the server */

#endif
