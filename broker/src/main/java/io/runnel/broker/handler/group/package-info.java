/**
 * Handlers of the group APIs: each turns its request into a call on the group coordinator's thread
 * and the answer into the response of the version the client sent.
 */
package io.runnel.broker.handler.group;
