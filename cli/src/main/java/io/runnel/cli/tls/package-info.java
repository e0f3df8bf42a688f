/** {@code runnel tls}: a development certificate authority and the certificates of brokers and clients. */
package io.runnel.cli.tls;
