// KafkaJS over SASL: writes three messages as one user and reads them back.
// Usage: node sasl-roundtrip.js <brokers> <topic> <mechanism: plain|scram-sha-256|scram-sha-512> <user> <password>.
// Prints "kafkajs read N" and exits 0, or prints the error's name and exits 1.
const { Kafka, logLevel } = require('kafkajs');

const [brokers, topic, mechanism, username, password] = process.argv.slice(2);
const kafka = new Kafka({
  clientId: 'runnel-sasl-it',
  brokers: brokers.split(','),
  sasl: { mechanism, username, password },
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
});

async function main() {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `kafkajs-${topic}-${mechanism}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${seen} of 3`)), 60000);
    consumer.run({
      eachMessage: async () => {
        seen += 1;
        if (seen === 3) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  console.log(`kafkajs read ${seen}`);
}

main().then(() => process.exit(0), (error) => {
  console.log(`kafkajs failed: ${error.name}: ${error.message}`);
  process.exit(1);
});
