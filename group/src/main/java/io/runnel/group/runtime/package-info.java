/** What the group state machines need from the world: time and timers, and a durable record log. */
package io.runnel.group.runtime;
