package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"
)

// networkMessage explains a Network failure to a chat user in one line.
func networkMessage(err error) string {
	if err == nil {
		return "network error"
	}
	if dnsErr, ok := errors.AsType[*net.DNSError](err); ok {
		name := truncate(dnsErr.Name, 80)
		switch {
		case dnsErr.IsNotFound:
			return "could not resolve host " + name + ": no such host"
		case dnsErr.IsTimeout:
			return "looking up host " + name + " timed out"
		default:
			return "could not resolve host " + name + ": " + oneLine(dnsErr.Err, 120)
		}
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the server refused the connection"
	case errors.Is(err, syscall.ECONNRESET):
		return "the server reset the connection"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "the server is unreachable"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection before the response was complete"
	}
	if tlsMsg, ok := tlsMessage(err); ok {
		return tlsMsg
	}
	return "network error: " + oneLine(err.Error(), 160)
}

// tlsMessage explains TLS failures: certificate problems, a server that does
// not speak TLS, and handshake alerts.
func tlsMessage(err error) (string, bool) {
	if certErr, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return "TLS certificate problem: " + oneLine(certErr.Err.Error(), 160), true
	}
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return "TLS certificate problem: signed by an unknown authority", true
	}
	if hostErr, ok := errors.AsType[x509.HostnameError](err); ok {
		return "TLS certificate problem: " + oneLine(hostErr.Error(), 160), true
	}
	if invalid, ok := errors.AsType[x509.CertificateInvalidError](err); ok {
		return "TLS certificate problem: " + oneLine(invalid.Error(), 160), true
	}
	if _, ok := errors.AsType[tls.RecordHeaderError](err); ok {
		return "TLS handshake failed: the server did not answer with TLS", true
	}
	if alert, ok := errors.AsType[tls.AlertError](err); ok {
		return "TLS handshake failed: " + oneLine(alert.Error(), 120), true
	}
	return "", false
}
