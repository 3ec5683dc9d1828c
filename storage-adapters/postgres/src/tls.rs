//! TLS for the connections, with libpq's `sslmode` meanings (rustls, ring; no OpenSSL).
//!
//! | `sslmode`          | encrypted                    | server certificate checked             |
//! |--------------------|------------------------------|----------------------------------------|
//! | `disable`          | no                           | —                                      |
//! | `prefer` (default) | when the server offers TLS   | no (as libpq)                          |
//! | `require`          | always                       | no (as libpq)                          |
//! | `verify-ca`        | always                       | chain to a trusted root                |
//! | `verify-full`      | always                       | chain to a trusted root, and host name |
//!
//! Trusted roots are the Mozilla set (`webpki-roots`) plus any given with `sslrootcert=PATH` in
//! the URL or [`PgStoreBuilder::tls_root_certificates`](crate::PgStoreBuilder::tls_root_certificates).
//! `prefer` and `require` keep a passive eavesdropper out but not an active one; use
//! `verify-full` when the network between the app and the database is not yours.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::PgError;

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsVerify {
    /// Not at all: encryption only (`sslmode=prefer` or `require`, as libpq).
    #[default]
    None,
    /// The chain must lead to a trusted root; the host name is not checked (`verify-ca`).
    Chain,
    /// The chain must lead to a trusted root and name the host (`verify-full`).
    Full,
}

/// The TLS part of a connection URL, taken out before the driver reads the rest (the driver
/// knows neither `verify-ca`/`verify-full` nor `sslrootcert`).
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsParams {
    /// `verify-ca` / `verify-full` seen (the driver is told `require`).
    pub verify: TlsVerify,
    /// `sslrootcert=PATH`.
    pub root_cert_file: Option<String>,
}

/// Split the TLS parameters libpq has and the driver lacks out of a URL or key-value string.
pub(crate) fn split_tls_params(url: &str) -> (String, TlsParams) {
    let mut params = TlsParams::default();
    let mut take = |key: &str, value: &str| -> Option<String> {
        match (key, value) {
            ("sslmode", "verify-full") => {
                params.verify = TlsVerify::Full;
                Some("require".into())
            }
            ("sslmode", "verify-ca") => {
                params.verify = TlsVerify::Chain;
                Some("require".into())
            }
            ("sslmode", "allow") => Some("prefer".into()),
            ("sslrootcert", path) => {
                params.root_cert_file = Some(path.to_string());
                None
            }
            _ => Some(value.to_string()),
        }
    };
    let lower = url.get(..13).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        let Some((base, query)) = url.split_once('?') else {
            return (url.to_string(), params);
        };
        let kept: Vec<String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                take(k, v).map(|v| format!("{k}={v}"))
            })
            .collect();
        let out = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        (out, params)
    } else {
        // key=value form; values with spaces are quoted, which these two never need.
        let kept: Vec<String> = url
            .split_whitespace()
            .filter_map(|pair| match pair.split_once('=') {
                Some((k, v)) => take(k, v).map(|v| format!("{k}={v}")),
                None => Some(pair.to_string()),
            })
            .collect();
        (kept.join(" "), params)
    }
}

/// Read PEM certificates (one or more) as trust anchors.
pub(crate) fn read_pem_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, PgError> {
    use rustls::pki_types::pem::PemObject;
    let certs: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(pem).collect();
    match certs {
        Ok(c) if !c.is_empty() => Ok(c),
        Ok(_) => Err(PgError::Tls(
            "no PEM certificate found in the root certificates".into(),
        )),
        Err(e) => Err(PgError::Tls(format!(
            "root certificates are not valid PEM: {e}"
        ))),
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The connector for `mode`, or `None` when TLS is off.
pub(crate) fn connector(
    mode: SslMode,
    verify: TlsVerify,
    extra_roots: &[CertificateDer<'static>],
) -> Result<Option<MakeRustlsConnect>, PgError> {
    if mode == SslMode::Disable {
        return Ok(None);
    }
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| PgError::Tls(e.to_string()))?;
    let config = match verify {
        TlsVerify::None => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Lenient {
                provider,
                chain: None,
            }))
            .with_no_client_auth(),
        TlsVerify::Chain | TlsVerify::Full => {
            let mut roots = RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            for cert in extra_roots {
                roots
                    .add(cert.clone())
                    .map_err(|e| PgError::Tls(format!("a root certificate was refused: {e}")))?;
            }
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| PgError::Tls(e.to_string()))?;
            if verify == TlsVerify::Full {
                builder.with_webpki_verifier(webpki).with_no_client_auth()
            } else {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(Lenient {
                        provider,
                        chain: Some(webpki),
                    }))
                    .with_no_client_auth()
            }
        }
    };
    Ok(Some(MakeRustlsConnect::new(config)))
}

/// `prefer`/`require` (`chain: None`): any certificate. `verify-ca`: the chain must verify, and
/// a certificate for another name is accepted. The handshake signatures are checked either way.
#[derive(Debug)]
struct Lenient {
    provider: Arc<CryptoProvider>,
    chain: Option<Arc<WebPkiServerVerifier>>,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_only_parameters_are_taken_out_of_urls() {
        let (url, p) = split_tls_params(
            "postgres://u:p@db:5432/app?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=x",
        );
        assert_eq!(
            url,
            "postgres://u:p@db:5432/app?sslmode=require&application_name=x"
        );
        assert_eq!(p.verify, TlsVerify::Full);
        assert_eq!(p.root_cert_file.as_deref(), Some("/etc/ca.pem"));

        let (url, p) = split_tls_params("postgres://db/app?sslmode=verify-ca");
        assert_eq!(url, "postgres://db/app?sslmode=require");
        assert_eq!(p.verify, TlsVerify::Chain);

        let (url, p) =
            split_tls_params("host=db dbname=app sslmode=verify-full sslrootcert=ca.pem");
        assert_eq!(url, "host=db dbname=app sslmode=require");
        assert_eq!(p.verify, TlsVerify::Full);
        assert_eq!(p.root_cert_file.as_deref(), Some("ca.pem"));

        let (url, p) = split_tls_params("postgres://db/app?sslmode=require");
        assert_eq!(url, "postgres://db/app?sslmode=require");
        assert_eq!(p.verify, TlsVerify::None);
        let (url, _) = split_tls_params("postgres://db/app");
        assert_eq!(url, "postgres://db/app");
    }

    #[test]
    fn pem_without_certificates_is_refused() {
        assert!(matches!(
            read_pem_certificates(b"hello"),
            Err(PgError::Tls(_))
        ));
    }
}
