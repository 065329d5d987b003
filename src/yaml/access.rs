//! serde's access to the items of a list and the entries of a mapping, skipping the nodes an
//! earlier attempt found wrong.

use serde::de::{self, DeserializeSeed, IntoDeserializer};

use super::ctx::Ctx;
use super::de::De;
use super::error::{Error, Problem};

/// Places an error from inside a node at that node, unless a deeper access placed it already.
fn placed<T>(r: Result<T, Error>, id: usize) -> Result<T, Error> {
    r.map_err(|mut e| {
        e.node.get_or_insert(id);
        e
    })
}

pub struct SeqAccess<'c, 't> {
    pub ctx: &'c Ctx<'t>,
    pub items: std::vec::IntoIter<usize>,
}

impl<'de, 'c, 't> de::SeqAccess<'de> for SeqAccess<'c, 't> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.items.next() {
            None => Ok(None),
            Some(id) => placed(seed.deserialize(De { ctx: self.ctx, id }), id).map(Some),
        }
    }
}

pub struct MapAccess<'c, 't> {
    pub ctx: &'c Ctx<'t>,
    pub entries: std::vec::IntoIter<(&'t str, usize)>,
    pub value: Option<usize>,
}

impl<'de, 'c, 't> de::MapAccess<'de> for MapAccess<'c, 't> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            None => Ok(None),
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(IntoDeserializer::<Error>::into_deserializer(key))
                    .map(Some)
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let id = self
            .value
            .take()
            .ok_or_else(|| Error::new(Problem::Custom("a key without a value".into())))?;
        placed(seed.deserialize(De { ctx: self.ctx, id }), id)
    }
}
