#include "CRabbitMQ.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

amqp_rpc_reply_t pansible_amqp_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                                           int frame_max, int heartbeat, const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

amqp_rpc_reply_t pansible_amqp_login_named(amqp_connection_state_t state, const char *vhost, int channel_max,
                                           int frame_max, int heartbeat, const char *user, const char *password,
                                           const char *connection_name) {
    amqp_table_entry_t entries[1];
    entries[0].key = amqp_cstring_bytes("connection_name");
    entries[0].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[0].value.value.bytes = amqp_cstring_bytes(connection_name);
    amqp_table_t properties = {1, entries};
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, &properties,
                                      AMQP_SASL_METHOD_PLAIN, user, password);
}

static void fill_properties(pansible_frame_t *out, const amqp_basic_properties_t *properties) {
    if (properties == NULL) return;
    if (properties->_flags & AMQP_BASIC_MESSAGE_ID_FLAG) {
        out->has_message_id = 1;
        out->message_id = properties->message_id;
    }
    if (properties->_flags & AMQP_BASIC_HEADERS_FLAG) {
        out->headers = &properties->headers;
    }
}

int pansible_next_frame(amqp_connection_state_t state, pansible_frame_t *out, struct timeval *timeout) {
    amqp_frame_t frame;
    memset(out, 0, sizeof(*out));
    int status = amqp_simple_wait_frame_noblock(state, &frame, timeout);
    if (status != AMQP_STATUS_OK) return status;
    out->channel = frame.channel;
    switch (frame.frame_type) {
    case AMQP_FRAME_METHOD:
        out->method = frame.payload.method.id;
        switch (frame.payload.method.id) {
        case AMQP_BASIC_DELIVER_METHOD: {
            amqp_basic_deliver_t *m = frame.payload.method.decoded;
            out->kind = PANSIBLE_FRAME_DELIVER;
            out->delivery_tag = m->delivery_tag;
            out->redelivered = m->redelivered;
            out->exchange = m->exchange;
            out->routing_key = m->routing_key;
            break;
        }
        case AMQP_BASIC_RETURN_METHOD: {
            amqp_basic_return_t *m = frame.payload.method.decoded;
            out->kind = PANSIBLE_FRAME_RETURN;
            out->reply_code = m->reply_code;
            out->reply_text = m->reply_text;
            out->exchange = m->exchange;
            out->routing_key = m->routing_key;
            break;
        }
        case AMQP_BASIC_ACK_METHOD: {
            amqp_basic_ack_t *m = frame.payload.method.decoded;
            out->kind = PANSIBLE_FRAME_ACK;
            out->delivery_tag = m->delivery_tag;
            out->multiple = m->multiple;
            break;
        }
        case AMQP_BASIC_NACK_METHOD: {
            amqp_basic_nack_t *m = frame.payload.method.decoded;
            out->kind = PANSIBLE_FRAME_NACK;
            out->delivery_tag = m->delivery_tag;
            out->multiple = m->multiple;
            out->requeue = m->requeue;
            break;
        }
        case AMQP_CHANNEL_CLOSE_METHOD: {
            amqp_channel_close_t *m = frame.payload.method.decoded;
            out->kind = PANSIBLE_FRAME_CHANNEL_CLOSE;
            out->reply_code = m->reply_code;
            out->reply_text = m->reply_text;
            break;
        }
        case AMQP_CONNECTION_CLOSE_METHOD: {
            amqp_connection_close_t *m = frame.payload.method.decoded;
            out->kind = PANSIBLE_FRAME_CONNECTION_CLOSE;
            out->reply_code = m->reply_code;
            out->reply_text = m->reply_text;
            break;
        }
        case AMQP_BASIC_CANCEL_METHOD:
            out->kind = PANSIBLE_FRAME_CANCEL;
            break;
        default:
            out->kind = PANSIBLE_FRAME_OTHER;
        }
        break;
    case AMQP_FRAME_HEADER:
        out->kind = PANSIBLE_FRAME_HEADER;
        out->body_size = frame.payload.properties.body_size;
        fill_properties(out, frame.payload.properties.decoded);
        break;
    case AMQP_FRAME_BODY:
        out->kind = PANSIBLE_FRAME_BODY;
        out->body = frame.payload.body_fragment;
        break;
    default:
        out->kind = PANSIBLE_FRAME_OTHER;
    }
    return AMQP_STATUS_OK;
}

int pansible_publish(amqp_connection_state_t state, amqp_channel_t channel, amqp_bytes_t exchange,
                     amqp_bytes_t routing_key, int mandatory, amqp_bytes_t message_id, amqp_bytes_t content_type,
                     const amqp_table_t *headers, amqp_bytes_t body) {
    amqp_basic_properties_t properties;
    memset(&properties, 0, sizeof(properties));
    properties._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
    properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    properties.message_id = message_id;
    properties.content_type = content_type;
    if (headers != NULL && headers->num_entries > 0) {
        properties._flags |= AMQP_BASIC_HEADERS_FLAG;
        properties.headers = *headers;
    }
    return amqp_basic_publish(state, channel, exchange, routing_key, mandatory, 0, &properties, body);
}

void pansible_table_entry_string(amqp_table_entry_t *entry, amqp_bytes_t key, amqp_bytes_t value) {
    entry->key = key;
    entry->value.kind = AMQP_FIELD_KIND_UTF8;
    entry->value.value.bytes = value;
}

void pansible_table_entry_int(amqp_table_entry_t *entry, amqp_bytes_t key, int64_t value) {
    entry->key = key;
    entry->value.kind = AMQP_FIELD_KIND_I64;
    entry->value.value.i64 = value;
}

int pansible_field_bytes(const amqp_field_value_t *value, amqp_bytes_t *out) {
    if (value->kind == AMQP_FIELD_KIND_UTF8 || value->kind == AMQP_FIELD_KIND_BYTES) {
        *out = value->value.bytes;
        return 1;
    }
    return 0;
}

int pansible_field_int(const amqp_field_value_t *value, int64_t *out) {
    switch (value->kind) {
    case AMQP_FIELD_KIND_I8: *out = value->value.i8; return 1;
    case AMQP_FIELD_KIND_U8: *out = value->value.u8; return 1;
    case AMQP_FIELD_KIND_I16: *out = value->value.i16; return 1;
    case AMQP_FIELD_KIND_U16: *out = value->value.u16; return 1;
    case AMQP_FIELD_KIND_I32: *out = value->value.i32; return 1;
    case AMQP_FIELD_KIND_U32: *out = value->value.u32; return 1;
    case AMQP_FIELD_KIND_I64: *out = value->value.i64; return 1;
    case AMQP_FIELD_KIND_U64: *out = (int64_t)value->value.u64; return 1;
    default: return 0;
    }
}

int pansible_field_bool(const amqp_field_value_t *value, int *out) {
    if (value->kind == AMQP_FIELD_KIND_BOOLEAN) {
        *out = value->value.boolean ? 1 : 0;
        return 1;
    }
    return 0;
}

int pansible_send_channel_close_ok(amqp_connection_state_t state, amqp_channel_t channel) {
    amqp_channel_close_ok_t ok;
    memset(&ok, 0, sizeof(ok));
    return amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
}

int pansible_send_connection_close_ok(amqp_connection_state_t state) {
    amqp_connection_close_ok_t ok;
    memset(&ok, 0, sizeof(ok));
    return amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
}

int pansible_reply_close_reason(amqp_rpc_reply_t reply, uint16_t *code, amqp_bytes_t *text, int *is_channel) {
    if (reply.reply_type != AMQP_RESPONSE_SERVER_EXCEPTION || reply.reply.decoded == NULL) return 0;
    if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        amqp_channel_close_t *m = reply.reply.decoded;
        *code = m->reply_code;
        *text = m->reply_text;
        *is_channel = 1;
        return 1;
    }
    if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        amqp_connection_close_t *m = reply.reply.decoded;
        *code = m->reply_code;
        *text = m->reply_text;
        *is_channel = 0;
        return 1;
    }
    return 0;
}

int pansible_wait_readable(int socket_fd, int wake_fd, int timeout_ms) {
    struct pollfd fds[2];
    int count = 0;
    int socket_index = -1, wake_index = -1;
    if (socket_fd >= 0) {
        fds[count].fd = socket_fd;
        fds[count].events = POLLIN;
        fds[count].revents = 0;
        socket_index = count++;
    }
    if (wake_fd >= 0) {
        fds[count].fd = wake_fd;
        fds[count].events = POLLIN;
        fds[count].revents = 0;
        wake_index = count++;
    }
    int result = poll(fds, (nfds_t)count, timeout_ms);
    if (result < 0) return errno == EINTR ? 0 : -1;
    int bits = 0;
    if (socket_index >= 0 && fds[socket_index].revents != 0) bits |= 1;
    if (wake_index >= 0 && fds[wake_index].revents != 0) bits |= 2;
    return bits;
}

int pansible_wake_pipe(int fds[2]) {
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

void pansible_wake(int write_fd) {
    char byte = 1;
    ssize_t ignored = write(write_fd, &byte, 1);
    (void)ignored;
}

void pansible_drain(int read_fd) {
    char buffer[64];
    while (read(read_fd, buffer, sizeof(buffer)) > 0) {
    }
}
