#ifndef PANSIBLE_CRABBITMQ_H
#define PANSIBLE_CRABBITMQ_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#include <stdint.h>
#include <sys/time.h>

/// Non-variadic wrapper around `amqp_login` (Swift cannot call C-variadic functions).
/// Logs in with SASL PLAIN.
amqp_rpc_reply_t pansible_amqp_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                                           int frame_max, int heartbeat, const char *user, const char *password);

/// Logs in with SASL PLAIN and announces `connection_name` in the client properties (shown by the broker).
amqp_rpc_reply_t pansible_amqp_login_named(amqp_connection_state_t state, const char *vhost, int channel_max,
                                           int frame_max, int heartbeat, const char *user, const char *password,
                                           const char *connection_name);

/// What `pansible_next_frame` found.
typedef enum {
    PANSIBLE_FRAME_OTHER = 0,
    PANSIBLE_FRAME_DELIVER = 1,
    PANSIBLE_FRAME_RETURN = 2,
    PANSIBLE_FRAME_ACK = 3,
    PANSIBLE_FRAME_NACK = 4,
    PANSIBLE_FRAME_HEADER = 5,
    PANSIBLE_FRAME_BODY = 6,
    PANSIBLE_FRAME_CHANNEL_CLOSE = 7,
    PANSIBLE_FRAME_CONNECTION_CLOSE = 8,
    PANSIBLE_FRAME_CANCEL = 9,
} pansible_frame_kind_t;

/// One decoded frame, flattened so that callers need not read C unions. Byte fields point into the
/// connection's buffers: valid until the next `amqp_maybe_release_buffers`.
typedef struct {
    int kind;
    amqp_channel_t channel;
    amqp_method_number_t method;
    uint64_t delivery_tag;
    int multiple;
    int redelivered;
    int requeue;
    amqp_bytes_t exchange;
    amqp_bytes_t routing_key;
    uint16_t reply_code;
    amqp_bytes_t reply_text;
    uint64_t body_size;
    int has_message_id;
    amqp_bytes_t message_id;
    const amqp_table_t *headers;
    amqp_bytes_t body;
} pansible_frame_t;

/// Reads the next frame, waiting at most `timeout` (which must not be NULL). Returns an `amqp_status_enum`.
int pansible_next_frame(amqp_connection_state_t state, pansible_frame_t *out, struct timeval *timeout);

/// Publishes one persistent message with a message id, a content type and optional headers (NULL: none).
int pansible_publish(amqp_connection_state_t state, amqp_channel_t channel, amqp_bytes_t exchange,
                     amqp_bytes_t routing_key, int mandatory, amqp_bytes_t message_id, amqp_bytes_t content_type,
                     const amqp_table_t *headers, amqp_bytes_t body);

/// Fills a table entry with a string (`S`) value.
void pansible_table_entry_string(amqp_table_entry_t *entry, amqp_bytes_t key, amqp_bytes_t value);
/// Fills a table entry with a signed 64-bit (`l`) value.
void pansible_table_entry_int(amqp_table_entry_t *entry, amqp_bytes_t key, int64_t value);
/// Reads a string or byte-array field; returns 1 when it is one.
int pansible_field_bytes(const amqp_field_value_t *value, amqp_bytes_t *out);
/// Reads any integer field; returns 1 when it is one.
int pansible_field_int(const amqp_field_value_t *value, int64_t *out);
/// Reads a boolean field; returns 1 when it is one.
int pansible_field_bool(const amqp_field_value_t *value, int *out);

/// Sends `channel.close-ok` or `connection.close-ok` in answer to the broker's close.
int pansible_send_channel_close_ok(amqp_connection_state_t state, amqp_channel_t channel);
int pansible_send_connection_close_ok(amqp_connection_state_t state);

/// The broker's close reason from an RPC reply (channel.close or connection.close); returns 1 when there is one.
int pansible_reply_close_reason(amqp_rpc_reply_t reply, uint16_t *code, amqp_bytes_t *text, int *is_channel);

/// Waits until `socket_fd` or `wake_fd` is readable or `timeout_ms` passed. Returns a bit set: 1 socket readable
/// (or in error), 2 wake readable; 0 on time-out; -1 on error.
int pansible_wait_readable(int socket_fd, int wake_fd, int timeout_ms);

/// A pipe for waking a thread that sleeps in `pansible_wait_readable`: both ends non-blocking and close-on-exec.
int pansible_wake_pipe(int fds[2]);
/// Writes one byte to the pipe (ignores a full pipe: one pending byte wakes the sleeper).
void pansible_wake(int write_fd);
/// Reads every pending byte.
void pansible_drain(int read_fd);

#endif
