//! The law's enums travel (in stores, files, APIs) as their stable short codes.

macro_rules! serde_by_code {
    ($type:ty, $what:literal) => {
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = String::deserialize(deserializer)?;
                <$type>::from_code(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} code \"{code}\"", $what))
                })
            }
        }
    };
}

serde_by_code!(crate::Outcome, "outcome");
serde_by_code!(crate::ApplicantKind, "applicant kind");
serde_by_code!(crate::ClockEventKind, "clock event");

#[cfg(test)]
mod tests {
    use crate::{ApplicantKind, Outcome};

    #[test]
    fn codes_round_trip() {
        for outcome in Outcome::ALL {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(json, format!("\"{}\"", outcome.code()));
            assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), outcome);
        }
        assert!(serde_json::from_str::<ApplicantKind>("\"alien\"").is_err());
    }
}
