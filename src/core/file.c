/* file.c — whole-file reads, exclusive creation, atomic replacement (see file.h). */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"

#define FILE_PATH_MAX 4096

/* Each failure returns its code itself rather than gsi_err_set's value: callers use *out only
 * when this returns 0, and a static analyzer sees that only when the negative code is written
 * here (gsi_err_set is compiled in another file). */
int gsi_file_open_read(int *fd, const char *path, struct gsi_err *err)
{
    /* O_NONBLOCK for the open alone: a FIFO with no writer would otherwise block it forever;
     * opened so, it reads as empty at once. Reads after it block as usual. */
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0) {
        int code = errno == ENOENT ? GSI_ENOTFOUND : GSI_EIO;
        gsi_err_set(err, code, "%s: %s", path, strerror(errno));
        return code;
    }
    int fl = fcntl(*fd, F_GETFL);
    if (fl < 0 || fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        gsi_err_set(err, GSI_EIO, "%s: %s", path, strerror(e));
        return GSI_EIO;
    }
    return 0;
}

int gsi_fd_read(int fd, const char *name, char **out, size_t *len, size_t max, struct gsi_err *err)
{
    /* Grown as it fills, so a large cap costs memory only when the input is that large. */
    struct gsi_buf b;
    gsi_buf_init(&b, max);
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            int e = errno;
            gsi_buf_release(&b);
            gsi_err_set(err, GSI_EIO, "%s: %s", name, strerror(e));
            return GSI_EIO;
        }
        if (r == 0) {
            break;
        }
        int rc = gsi_buf_append(&b, chunk, (size_t)r);
        if (rc < 0) {
            gsi_buf_release(&b);
            if (rc == GSI_ELIMIT) {
                gsi_err_set(err, GSI_ELIMIT, "%s: larger than %zu bytes", name, max);
                return GSI_ELIMIT;
            }
            gsi_err_set(err, GSI_ENOMEM, "%s: out of memory", name);
            return GSI_ENOMEM;
        }
    }
    if (gsi_buf_reserve(&b, 0) < 0) { /* an empty input is still an allocated "" */
        gsi_buf_release(&b);
        gsi_err_set(err, GSI_ENOMEM, "out of memory");
        return GSI_ENOMEM;
    }
    b.data[b.len] = '\0';
    explicit_bzero(chunk, sizeof chunk); /* key files are read here too */
    *out = gsi_buf_take(&b, len);
    return 0;
}

int gsi_file_read(const char *path, char **out, size_t *len, size_t max, struct gsi_err *err)
{
    int fd;
    int rc = gsi_file_open_read(&fd, path, err);
    if (rc < 0) {
        return rc;
    }
    /* A regular file says its size: one past the cap is refused before a byte is read (a
     * 2 GiB file is not read up to the cap first). */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
        close(fd);
        gsi_err_set(err, GSI_ELIMIT, "%s: larger than %zu bytes", path, max);
        return GSI_ELIMIT;
    }
    rc = gsi_fd_read(fd, path, out, len, max, err);
    close(fd);
    return rc;
}

/* Writes all `len` bytes, going on after EINTR and short writes. 0, or -1 with errno. */
static int write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            return -1;
        }
        off += (size_t)w;
    }
    return 0;
}

int gsi_file_create(const char *path, mode_t mode, const struct iovec *parts, int n,
                    struct gsi_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        return gsi_err_set(err, GSI_EIO, "%s: %s", path, strerror(errno));
    }
    for (int i = 0; i < n; i++) {
        if (write_all(fd, parts[i].iov_base, parts[i].iov_len) < 0) {
            int e = errno;
            close(fd);
            return gsi_err_set(err, GSI_EIO, "%s: %s", path, strerror(e));
        }
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        return gsi_err_set(err, GSI_EIO, "%s: %s", path, strerror(errno));
    }
    return 0;
}

/* fsyncs the folder that holds `path`, so a rename into it is durable. Best effort. */
static void sync_parent(const char *path)
{
    char dir[FILE_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL) {
        snprintf(dir, sizeof dir, ".");
    } else if (slash == dir) {
        dir[1] = '\0';
    } else {
        *slash = '\0';
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
}

int gsi_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                          struct gsi_err *err)
{
    char tmp[FILE_PATH_MAX + 32];
    if (strlen(path) > FILE_PATH_MAX) {
        return gsi_err_set(err, GSI_EIO, "%.64s...: path longer than %d bytes", path,
                           FILE_PATH_MAX);
    }
    /* Only a regular file is replaced: renaming over a device, a FIFO or a folder someone
     * named by mistake (--key /dev/zero, as root) would destroy it. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        return gsi_err_set(err, GSI_EIO, "%s: not a regular file; refusing to replace it", path);
    }
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        return gsi_err_set(err, GSI_EIO, "%s: %s", tmp, strerror(errno));
    }
    if (write_all(fd, data, len) < 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return gsi_err_set(err, GSI_EIO, "%s: %s", tmp, strerror(e));
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        int e = errno;
        unlink(tmp);
        return gsi_err_set(err, GSI_EIO, "%s: %s", tmp, strerror(e));
    }
    if (rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return gsi_err_set(err, GSI_EIO, "%s: %s", path, strerror(e));
    }
    sync_parent(path);
    return 0;
}
